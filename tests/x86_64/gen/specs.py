# Instruction vectors of test_x64 (input of gen_vectors.py, which assembles
# them with GNU as and writes ../x64_vectors.inc).  Each entry:
#   (group, "asm; asm; ...", compared-flags mask, [setup items])
# Expected end states come from running the bytes natively (x64_native.c),
# so an entry only says which flags the SDM defines for it and how the
# random start state must be constrained (pointers into the data page,
# divisors that cannot fault, counts below the operand width).
ALL, LOGIC, NONE = "F_ALL", "F_LOGIC", "F_NONE"
SHIFT1 = "0x8c5"   # shift by 1: AF undefined
SHIFTN = "0x0c5"   # shift by >1 or CL: AF and OF undefined
ROT1 = "0x8d5"     # rotate by 1: only CF and OF change
ROTN = "0x0d5"     # rotate by n: OF undefined
MUL = "0x8d5 & ~0x0d4"  # CF and OF only
BT = "0x041"       # CF (and ZF unchanged)
BSF = "0x040"
CNT = "0x041"      # TZCNT/LZCNT: CF and ZF

def P(r, m="0x7f8"): return "PTR(X64_%s, %s)" % (r.upper(), m)
def S(r, v): return "SET(X64_%s, %s)" % (r.upper(), v)
def A(r, v): return "AND(X64_%s, %s)" % (r.upper(), v)
def O(r, v): return "OR(X64_%s, %s)" % (r.upper(), v)
def SX(n): return "SEXT(%d)" % n
def FL(v): return "RFLAGS(%s)" % v

V = []
def v(group, asm, flags=ALL, setup=()):
    V.append((group, asm, flags, list(setup)))

# ---- alu: every form and size ----
for op in ["add", "adc", "sub", "sbb", "cmp"]:
    v("alu", f"{op} rax, rbx")
    v("alu", f"{op} eax, ebx")
    v("alu", f"{op} ax, bx")
    v("alu", f"{op} al, bl")
    v("alu", f"{op} ah, bh")
    v("alu", f"{op} r9, 0x12345678")
    v("alu", f"{op} r10d, -5")
    v("alu", f"{op} r11w, 0x7fff")
    v("alu", f"{op} sil, 0x80")
    v("alu", f"{op} qword ptr [rbx+8], rcx", ALL, [P("rbx")])
    v("alu", f"{op} edx, dword ptr [rsi+rdi*4+16]", ALL, [P("rsi", "0x3f0"), A("rdi", "0xff")])
    v("alu", f"{op} byte ptr [rbx], 0x7f", ALL, [P("rbx", "0xfff")])
for op in ["and", "or", "xor", "test"]:
    v("alu", f"{op} rax, rbx", LOGIC)
    v("alu", f"{op} ecx, edx", LOGIC)
    v("alu", f"{op} dx, 0x1ff", LOGIC)
    v("alu", f"{op} r15b, r14b", LOGIC)
    v("alu", f"{op} ch, 0x0f", LOGIC)
    v("alu", f"{op} r8, -0x100", LOGIC)
    v("alu", f"{op} word ptr [rsp+8], ax", LOGIC)
v("alu", "xor eax, eax", LOGIC)
for op in ["inc", "dec", "neg", "not"]:
    v("alu", f"{op} rax")
    v("alu", f"{op} r12d")
    v("alu", f"{op} bx")
    v("alu", f"{op} dh")
    v("alu", f"{op} dword ptr [rdi+4]", ALL, [P("rdi")])
v("alu", "inc eax", ALL, [S("rax", "0x7fffffff")])
v("alu", "neg rcx", ALL, [S("rcx", "0x8000000000000000")])
v("alu", "neg edx", ALL, [S("rdx", "0")])
v("alu", "adc rax, rbx", ALL, [S("rax", "-1"), S("rbx", "0"), FL("1")])
v("alu", "sbb eax, ebx", ALL, [S("rax", "0"), S("rbx", "0xffffffff"), FL("1")])
v("alu", "add al, 0x0f", ALL, [S("rax", "0x1")])
v("alu", "xadd rax, rbx")
v("alu", "xadd dword ptr [rcx], edx", ALL, [P("rcx")])
v("alu", "lock xadd qword ptr [rcx], rdx", ALL, [P("rcx")])
v("alu", "cmpxchg rbx, rcx")
v("alu", "cmpxchg rbx, rcx", ALL, [S("rax", "0x1234"), S("rbx", "0x1234")])
v("alu", "cmpxchg ebx, ecx", ALL, [S("rax", "0xffffffff00001234"), S("rbx", "0x7777777700001234")])
v("alu", "cmpxchg ebx, ecx")
v("alu", "lock cmpxchg qword ptr [rdi], rsi", ALL, [P("rdi")])
v("alu", "mov rax, qword ptr [rdi]; lock cmpxchg qword ptr [rdi], rsi", ALL, [P("rdi")])
v("alu", "cmpxchg byte ptr [rdi], dl", ALL, [P("rdi", "0xfff")])

# ---- shifts and rotates ----
for op in ["shl", "shr", "sar"]:
    v("shift", f"{op} rax, 1", SHIFT1)
    v("shift", f"{op} eax, 1", SHIFT1)
    v("shift", f"{op} bl, 1", SHIFT1)
    v("shift", f"{op} rdx, 13", SHIFTN)
    v("shift", f"{op} edx, 31", SHIFTN)
    v("shift", f"{op} si, 7", SHIFTN)
    v("shift", f"{op} ah, 3", SHIFTN)
    v("shift", f"{op} r8, cl", SHIFTN, [A("rcx", "0x3f")])
    v("shift", f"{op} r9d, cl", SHIFTN, [A("rcx", "0x1f")])
    v("shift", f"{op} r10w, cl", SHIFTN, [A("rcx", "0xf")])
    v("shift", f"{op} r11b, cl", SHIFTN, [A("rcx", "0x7")])
    v("shift", f"{op} dword ptr [rbx], 4", SHIFTN, [P("rbx")])
    v("shift", f"{op} eax, cl", ALL, [S("rcx", "0x20")])   # count 0: flags unchanged
    v("shift", f"{op} eax, 0", ALL)
for op in ["rol", "ror"]:
    v("shift", f"{op} rax, 1", ROT1)
    v("shift", f"{op} ecx, 1", ROT1)
    v("shift", f"{op} rdx, 17", ROTN)
    v("shift", f"{op} edx, 9", ROTN)
    v("shift", f"{op} di, 5", ROTN)
    v("shift", f"{op} bl, 3", ROTN)
    v("shift", f"{op} r8, cl", ROTN, [A("rcx", "0x3f")])
    v("shift", f"{op} r9d, cl", ROTN)
    v("shift", f"{op} r10w, cl", ROTN)
    v("shift", f"{op} r11b, cl", ROTN)
    v("shift", f"{op} word ptr [rbx+2], 3", ROTN, [P("rbx")])

for op in ["shld", "shrd"]:
    v("shift", f"{op} rax, rbx, 1", SHIFT1)
    v("shift", f"{op} rax, rbx, 13", SHIFTN)
    v("shift", f"{op} eax, ebx, 1", SHIFT1)
    v("shift", f"{op} eax, ebx, 31", SHIFTN)
    v("shift", f"{op} ax, bx, 5", SHIFTN)
    v("shift", f"{op} rdx, rsi, cl", SHIFTN, [A("rcx", "0x3f")])
    v("shift", f"{op} edx, esi, cl", SHIFTN, [A("rcx", "0x1f")])
    v("shift", f"{op} dx, si, cl", SHIFTN, [A("rcx", "0xf")])
    v("shift", f"{op} qword ptr [rdi], r8, 7", SHIFTN, [P("rdi")])
    v("shift", f"{op} eax, ebx, cl", ALL, [S("rcx", "0x20")])

for op in ["rcl", "rcr"]:
    v("shift", f"{op} rax, 1", ROT1)
    v("shift", f"{op} eax, 1", ROT1)
    v("shift", f"{op} bl, 1", ROT1)
    v("shift", f"{op} rdx, 13", ROTN)
    v("shift", f"{op} edx, 31", ROTN)
    v("shift", f"{op} si, 7", ROTN)
    v("shift", f"{op} ah, 3", ROTN)
    v("shift", f"{op} r8, cl", ROTN)
    v("shift", f"{op} r9d, cl", ROTN)
    v("shift", f"{op} r10w, cl", ROTN)
    v("shift", f"{op} r11b, cl", ROTN)
    v("shift", f"{op} dword ptr [rbx], 4", ROTN, [P("rbx")])

# ---- multiply and divide ----
for r in ["rbx", "ebx", "bx", "bl"]:
    v("muldiv", f"mul {r}", MUL)
    v("muldiv", f"imul {r}", MUL)
v("muldiv", "mul qword ptr [rsi]", MUL, [P("rsi")])
v("muldiv", "imul rax, rbx", MUL)
v("muldiv", "imul ecx, edx", MUL)
v("muldiv", "imul dx, r8w", MUL)
v("muldiv", "imul r9, r10, 0x1234", MUL)
v("muldiv", "imul r9d, dword ptr [rdi], -3", MUL, [P("rdi")])
v("muldiv", "imul si, di, 7", MUL)
v("muldiv", "imul rax, rbx", MUL, [A("rax", "0xff"), A("rbx", "0xff")])
v("muldiv", "div rbx", NONE, [S("rdx", "0"), O("rbx", "1")])
v("muldiv", "div rbx", NONE, [A("rdx", "0xffff"), O("rbx", "0x10000")])
v("muldiv", "div ecx", NONE, [S("rdx", "0"), O("rcx", "1")])
v("muldiv", "div cx", NONE, [A("rdx", "0xffffffffffff0000"), O("rcx", "1")])
v("muldiv", "div bl", NONE, [A("rax", "0xffffffffffff00ff"), O("rbx", "1")])
v("muldiv", "div qword ptr [rsi]", NONE, [S("rdx", "0"), S("rsi", "0x110100"), ])
v("muldiv", "idiv rbx", NONE, [SX(8), A("rbx", "0x7fffffff"), O("rbx", "2")])
v("muldiv", "idiv rbx", NONE, [SX(8), A("rbx", "0x7fffffff"), O("rbx", "0x8000000000000000")])
v("muldiv", "idiv ecx", NONE, [SX(4), A("rcx", "0x7fff"), O("rcx", "2")])
v("muldiv", "idiv ecx", NONE, [SX(4), A("rcx", "0x7fff"), O("rcx", "0x80000000")])
v("muldiv", "idiv cx", NONE, [SX(2), A("rcx", "0x7f"), O("rcx", "2")])
v("muldiv", "idiv bl", NONE, [SX(1), A("rbx", "0x7f"), O("rbx", "2")])
v("muldiv", "cqo")
v("muldiv", "cdq")
v("muldiv", "cwd")
v("muldiv", "cdqe")
v("muldiv", "cwde")
v("muldiv", "cbw")

# ---- bit operations ----
for op in ["bt", "bts", "btr", "btc"]:
    v("bitops", f"{op} rax, rbx", BT)
    v("bitops", f"{op} eax, 33", BT)
    v("bitops", f"{op} cx, dx", BT)
    v("bitops", f"{op} qword ptr [rsi], 5", BT, [P("rsi")])
    v("bitops", f"{op} dword ptr [rsi+0x100], edx", BT, [P("rsi", "0x3f8"), A("rdx", "0x3ff")])
    v("bitops", f"{op} qword ptr [rsi+0x400], rdx", BT, [P("rsi", "0x3f8"), S("rdx", "-200")])
for op in ["bsf", "bsr"]:
    v("bitops", f"{op} rax, rbx", BSF, [O("rbx", "0x1000")])
    v("bitops", f"{op} eax, ebx", BSF, [O("rbx", "0x100")])
    v("bitops", f"{op} rax, qword ptr [rdi]", BSF, [P("rdi"), ])
    v("bitops", f"{op} rax, rbx", BSF, [S("rbx", "0")])
for op in ["tzcnt", "lzcnt"]:
    v("bitops", f"{op} rax, rbx", CNT)
    v("bitops", f"{op} eax, ebx", CNT)
    v("bitops", f"{op} ax, bx", CNT)
    v("bitops", f"{op} rax, rbx", CNT, [S("rbx", "0")])
    v("bitops", f"{op} ecx, edx", CNT, [S("rdx", "0x80000000")])
v("bitops", "popcnt rax, rbx")
v("bitops", "popcnt ecx, edx")
v("bitops", "popcnt r8w, r9w")
v("bitops", "popcnt rax, rbx", ALL, [S("rbx", "0")])
v("bitops", "bswap rax")
v("bitops", "bswap r13d")

# ---- data movement ----
v("movs", "mov rax, rbx")
v("movs", "mov eax, ebx")
v("movs", "mov ax, bx")
v("movs", "mov al, bh")
v("movs", "mov ah, r8b" if False else "mov ah, cl")
v("movs", "mov sil, dil")
v("movs", "mov r8, -1")
v("movs", "mov r9d, 0x87654321")
v("movs", "movabs r10, 0x123456789abcdef0")
v("movs", "mov r11w, 0x1234")
v("movs", "mov rax, qword ptr [rbx+rcx*8+0x10]", ALL, [P("rbx", "0x3f8"), A("rcx", "0x3f")])
v("movs", "mov qword ptr [rbx-8], rax", ALL, [P("rbx", "0x7f8"), O("rbx", "0x10")])
v("movs", "mov dword ptr [rbx], 0x12345678", ALL, [P("rbx")])
v("movs", "mov byte ptr [rbx+1], ah", ALL, [P("rbx")])
v("movs", "mov word ptr [rbx], 0xbeef", ALL, [P("rbx")])
v("movs", "mov rax, qword ptr [rip+0x10]")
v("movs", "mov eax, dword ptr [0x110010]")
v("movs", "mov rax, qword ptr [ebx+8]", ALL, [P("rbx"), O("rbx", "0xffffffff00000000")])
for src in ["bl", "bh", "bx", "byte ptr [rsi]", "word ptr [rsi]"]:
    v("movs", f"movzx eax, {src}", ALL, [P("rsi")])
    v("movs", f"movsx eax, {src}", ALL, [P("rsi")])
    if src != "bh":
        v("movs", f"movsx rax, {src}", ALL, [P("rsi")])
v("movs", "movzx r9w, r10b")
v("movs", "movsx r9w, r10b")
v("movs", "movsx ecx, dl")
v("movs", "movsxd rax, ebx")
v("movs", "movsxd rax, dword ptr [rsi]", ALL, [P("rsi")])
v("movs", "lea rax, [rbx+rcx*4+0x100]")
v("movs", "lea eax, [rbx+rcx*2-8]")
v("movs", "lea ax, [rbx+rsi]")
v("movs", "lea r12, [rip+0x1000]")
v("movs", "lea rdx, [eax+ebx]")
v("movs", "lea r13, [r13*8]")
v("movs", "xchg rax, rbx")
v("movs", "xchg ecx, edx")
v("movs", "xchg al, ah")
v("movs", "xchg r8w, r9w")
v("movs", "xchg qword ptr [rsi], rdi", ALL, [P("rsi")])
v("movs", "xchg eax, eax")
for cc in ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]:
    v("movs", f"cmp rax, rbx; cmov{cc} rcx, rdx")
    v("movs", f"set{cc} al")
v("movs", "cmove ecx, edx", ALL, [FL("0")])
v("movs", "cmovne ecx, edx", ALL, [FL("0")])
v("movs", "cmovl r8w, word ptr [rsi]", ALL, [P("rsi")])
v("movs", "sete byte ptr [rsi]", ALL, [P("rsi", "0xfff")])
v("movs", "setb ah")

# ---- stack ----
v("stack", "push rax; pop rbx")
v("stack", "push rsp; pop rax")
v("stack", "push 0x12345678; pop rcx")
v("stack", "push -1; pop rcx")
v("stack", "push qword ptr [rsi]; pop qword ptr [rdi]", ALL, [P("rsi"), P("rdi")])
v("stack", "push ax; pop bx")
v("stack", "push r15; push r14; pop r13; pop r12")
v("stack", "pop rsp")
v("stack", "call 1f; 1: pop rax")
v("stack", "lea rax, [rip+1f]; call rax; 1: pop rbx")
v("stack", "lea rax, [rip+1f]; push rax; call qword ptr [rsp]; 1: pop rbx; pop rcx")
v("stack", "lea rax, [rip+1f]; push rax; ret; ud2; 1: nop")
v("stack", "lea rax, [rip+1f]; push rax; ret 16; ud2; 1: nop")
v("stack", "push rbp; mov rbp, rsp; sub rsp, 32; leave")
v("stack", "enter 16, 0; leave")
v("stack", "pushfq; pop rax")
v("stack", "push rbx; popfq", ALL, [A("rbx", "0xcd5"), O("rbx", "2")])

# ---- branches ----
for cc in ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]:
    v("branch", f"j{cc} 1f; inc rax; 1: inc rbx")
v("branch", "cmp rcx, rdx; jl 1f; mov rax, 1; jmp 2f; 1: mov rax, 2; 2: nop")
v("branch", "jmp 1f; ud2; 1: nop")
v("branch", "lea rax, [rip+1f]; jmp rax; ud2; 1: nop")
v("branch", "lea rax, [rip+1f]; push rax; jmp qword ptr [rsp]; ud2; 1: pop rbx")
v("branch", "jrcxz 1f; inc rax; 1: nop")
v("branch", "jrcxz 1f; inc rax; 1: nop", ALL, [S("rcx", "0")])
v("branch", "jecxz 1f; inc rax; 1: nop", ALL, [S("rcx", "0x100000000")])
v("branch", "mov ecx, 5; 1: add rax, 3; loop 1b")
v("branch", "mov ecx, 10; 1: inc rax; cmp rax, rbx; loopne 1b")
v("branch", "mov ecx, 10; 1: add rdx, 1; test rax, rax; loope 1b")
v("branch", "xor eax, eax; mov ecx, 100; 1: add rax, rcx; dec ecx; jnz 1b")
v("branch", "jmp 1f; .byte 0x0f, 0x0b; 1: jmp 2f; .byte 0x0f, 0x0b; 2: nop")

# ---- string instructions ----
for s in ["b", "w", "d", "q"]:
    v("string", f"movs{s}", ALL, [P("rsi", "0x3f8"), P("rdi", "0x3f8"), O("rdi", "0x800")])
    v("string", f"rep movs{s}", ALL, [P("rsi", "0x3f8"), P("rdi", "0x3f8"), O("rdi", "0x800"), A("rcx", "0x3f")])
    v("string", f"rep stos{s}", ALL, [P("rdi", "0x7f8"), A("rcx", "0x7f")])
    v("string", f"lods{s}", ALL, [P("rsi", "0x7f8")])
    v("string", f"cmps{s}", ALL, [P("rsi", "0x3f8"), P("rdi", "0x3f8"), O("rdi", "0x800")])
    v("string", f"scas{s}", ALL, [P("rdi", "0x7f8")])
v("string", "std; rep movsb; cld", ALL, [P("rsi", "0x3ff"), O("rsi", "0x400"), P("rdi", "0x3ff"), O("rdi", "0xc00"), A("rcx", "0xff")])
v("string", "std; rep stosq; cld", ALL, [P("rdi", "0x3f8"), O("rdi", "0x800"), A("rcx", "0x7f")])
v("string", "rep movsb", ALL, [P("rsi"), P("rdi"), S("rcx", "0")])
v("string", "rep movsb", ALL, [P("rsi", "0x3f8"), S("rdi", "0x110008"), A("rcx", "0x3f")])  # overlapping
v("string", "lea rdi, [rsi+0x800]; mov ecx, 64; rep movsb; mov ecx, 80; repe cmpsb", ALL,
  [P("rsi", "0x3f8")])
v("string", "mov rdi, rsi; mov ecx, 64; mov al, byte ptr [rsi+20]; repne scasb", ALL, [P("rsi", "0x3f8")])
v("string", "repne scasb", ALL, [P("rdi", "0x3f8"), A("rcx", "0xff")])
v("string", "repe cmpsq", ALL, [P("rsi", "0x3f8"), P("rdi", "0x3f8"), O("rdi", "0x800"), A("rcx", "0xf")])

# ---- misc ----
v("misc", "nop")
v("misc", "nop dword ptr [rax+rax+0]")
v("misc", "endbr64")
v("misc", "pause")
v("misc", "mfence; lfence; sfence")
v("misc", "clc")
v("misc", "stc")
v("misc", "cmc")
v("misc", "std; cld")
v("misc", "lahf")
v("misc", "sahf", ALL)

# ---- SSE/SSE2: moves, logic, 64-bit lanes (x64_sse_move.c) ----
# A16: a 16-byte-aligned pointer into the data page (MOVDQA/MOVAPS and the
# m128 operands of legacy SSE must be aligned, else #GP).
def A16(r): return P(r, "0x7f0")
SM, SI, SF = "sse_move", "sse_int", "sse_fp"
v(SM, "movd xmm0, eax", NONE)
v(SM, "movd xmm9, dword ptr [rsi]", NONE, [P("rsi")])
v(SM, "movq xmm1, rax", NONE)
v(SM, "movq xmm14, r13", NONE)
v(SM, "movd eax, xmm3", NONE)
v(SM, "movd r10d, xmm11", NONE)
v(SM, "movd dword ptr [rdi], xmm4", NONE, [P("rdi")])
v(SM, "movq rax, xmm5", NONE)
v(SM, "movq r9, xmm12", NONE)
v(SM, "movq qword ptr [rdi], xmm6", NONE, [P("rdi")])
v(SM, "movq xmm7, xmm8", NONE)
v(SM, "movq xmm1, qword ptr [rsi]", NONE, [P("rsi")])
v(SM, "movq xmm1, qword ptr [rsi]; movq qword ptr [rdi+8], xmm1", NONE, [P("rsi"), P("rdi")])
for op in ["movdqa", "movaps", "movapd"]:
    v(SM, f"{op} xmm0, xmm1", NONE)
    v(SM, f"{op} xmm10, xmm3", NONE)
    v(SM, f"{op} xmm2, xmmword ptr [rsi]", NONE, [A16("rsi")])
    v(SM, f"{op} xmmword ptr [rdi+16], xmm13", NONE, [A16("rdi")])
for op in ["movdqu", "movups", "movupd"]:
    v(SM, f"{op} xmm4, xmm15", NONE)
    v(SM, f"{op} xmm4, xmmword ptr [rsi+1]", NONE, [P("rsi")])
    v(SM, f"{op} xmmword ptr [rdi+3], xmm5", NONE, [P("rdi")])
for op in ["movss", "movsd"]:
    v(SM, f"{op} xmm0, xmm1", NONE)
    v(SM, f"{op} xmm2, dword ptr [rsi]" if op == "movss" else f"{op} xmm2, qword ptr [rsi]", NONE, [P("rsi")])
    v(SM, f"{op} dword ptr [rdi], xmm3" if op == "movss" else f"{op} qword ptr [rdi], xmm3", NONE, [P("rdi")])
for op in ["movhps", "movlps", "movhpd", "movlpd"]:
    v(SM, f"{op} xmm0, qword ptr [rsi+4]", NONE, [P("rsi")])
    v(SM, f"{op} qword ptr [rdi+2], xmm9", NONE, [P("rdi")])
v(SM, "movhlps xmm0, xmm1", NONE)
v(SM, "movlhps xmm2, xmm11", NONE)
v(SM, "movhlps xmm5, xmm5", NONE)
for op in ["pxor", "por", "pand", "pandn", "xorps", "andps", "orps", "andnps", "xorpd", "andpd",
           "orpd", "andnpd"]:
    v(SM, f"{op} xmm0, xmm1", NONE)
    v(SM, f"{op} xmm12, xmm12", NONE)
    v(SM, f"{op} xmm3, xmmword ptr [rsi]", NONE, [A16("rsi")])
for op in ["punpcklqdq", "punpckhqdq", "unpcklpd", "unpckhpd", "paddq", "psubq"]:
    v(SM, f"{op} xmm0, xmm1", NONE)
    v(SM, f"{op} xmm7, xmm7", NONE)
    v(SM, f"{op} xmm8, xmmword ptr [rsi]", NONE, [A16("rsi")])
for n in [0, 1, 3, 8, 11, 15, 16, 200]:
    v(SM, f"pslldq xmm1, {n}", NONE)
    v(SM, f"psrldq xmm10, {n}", NONE)
for n in [0, 5, 63, 64]:
    v(SM, f"psllq xmm2, {n}", NONE)
    v(SM, f"psrlq xmm13, {n}", NONE)
v(SM, "pextrw eax, xmm1, 3", NONE)
v(SM, "pextrw r10d, xmm9, 7", NONE)
v(SM, "pextrw rdx, xmm9, 0", NONE)
v(SM, "pinsrw xmm1, eax, 5", NONE)
v(SM, "pinsrw xmm12, r8d, 0", NONE)
v(SM, "pinsrw xmm2, word ptr [rsi], 1", NONE, [P("rsi")])
for n in range(4):
    v(SM, f"shufpd xmm1, xmm2, {n}", NONE)
v(SM, "shufpd xmm3, xmmword ptr [rsi], 1", NONE, [A16("rsi")])
v(SM, "movmskpd eax, xmm1", NONE)
v(SM, "movmskpd r12d, xmm15", NONE)
v(SM, "movntdq xmmword ptr [rdi], xmm1", NONE, [A16("rdi")])
v(SM, "movntps xmmword ptr [rdi], xmm2", NONE, [A16("rdi")])
v(SM, "movntpd xmmword ptr [rdi], xmm3", NONE, [A16("rdi")])
v(SM, "movnti dword ptr [rdi], eax", NONE, [P("rdi")])
v(SM, "movnti qword ptr [rdi], r11", NONE, [P("rdi")])
v(SM, "prefetcht0 byte ptr [rsi]; prefetcht1 byte ptr [rsi]; prefetcht2 byte ptr [rsi]; prefetchnta byte ptr [rsi]", NONE, [P("rsi")])
v(SM, "prefetchw byte ptr [rsi]", NONE, [P("rsi")])
v(SM, "sfence; lfence; mfence", NONE)
v(SM, "stmxcsr dword ptr [rdi]", NONE, [P("rdi")])
for m in ["0x1f80", "0x3f80", "0x5f80", "0x7f80", "0x9fbf", "0xffff"]:
    v(SM, f"mov dword ptr [rsi], {m}; ldmxcsr dword ptr [rsi]; stmxcsr dword ptr [rdi]", NONE,
      [P("rsi", "0x3f8"), P("rdi", "0x3f8"), O("rdi", "0x400"), "MXCSR(0x1f80)"])
v(SM, "fnstcw word ptr [rdi]; mov word ptr [rsi], 0x27f; fldcw word ptr [rsi]; fnstcw word ptr [rdi+2]; fninit; fnstcw word ptr [rdi+4]", NONE,
  [P("rsi", "0x3f8"), P("rdi", "0x3f8"), O("rdi", "0x400")])
v(SM, "fwait", NONE)

# ---- SSE2 integer vector ops (x64_sse_int.c) ----
for op in ["paddb", "paddw", "paddd", "psubb", "psubw", "psubd", "paddusb", "paddusw", "psubusb",
           "psubusw", "paddsb", "paddsw", "psubsb", "psubsw", "pcmpeqb", "pcmpeqw", "pcmpeqd",
           "pcmpgtb", "pcmpgtw", "pcmpgtd", "pminub", "pmaxub", "pminsw", "pmaxsw", "pavgb", "pavgw",
           "pmullw", "pmulhw", "pmulhuw", "pmuludq", "pmaddwd", "psadbw", "punpcklbw", "punpckhbw",
           "punpcklwd", "punpckhwd", "punpckldq", "punpckhdq", "packsswb", "packuswb", "packssdw",
           "unpcklps", "unpckhps"]:
    v(SI, f"{op} xmm0, xmm1", NONE)
    v(SI, f"{op} xmm11, xmm11", NONE)
    v(SI, f"{op} xmm2, xmmword ptr [rsi]", NONE, [A16("rsi")])
for op in ["pcmpeqb", "pcmpeqw", "pcmpeqd"]:
    v(SI, f"movdqa xmm1, xmm0; paddb xmm1, xmm2; {op} xmm1, xmm0", NONE)
v(SI, "pcmpeqb xmm0, xmm1; pmovmskb eax, xmm0", NONE)
v(SI, "pmovmskb eax, xmm1", NONE)
v(SI, "pmovmskb r11d, xmm12", NONE)
v(SI, "movmskps eax, xmm1", NONE)
v(SI, "movmskps r9d, xmm10", NONE)
for imm in ["0x1b", "0xe4", "0x00", "0xff", "0x4e"]:
    v(SI, f"pshufd xmm1, xmm2, {imm}", NONE)
    v(SI, f"pshuflw xmm3, xmm4, {imm}", NONE)
    v(SI, f"pshufhw xmm5, xmm6, {imm}", NONE)
    v(SI, f"shufps xmm7, xmm8, {imm}", NONE)
v(SI, "pshufd xmm1, xmm1, 0x1b", NONE)
v(SI, "pshufd xmm1, xmmword ptr [rsi], 0x39", NONE, [A16("rsi")])
v(SI, "shufps xmm2, xmmword ptr [rsi], 0x93", NONE, [A16("rsi")])
for op, ns in [("psllw", [0, 3, 15, 16]), ("psrlw", [1, 15, 16]), ("psraw", [1, 15, 16, 200]),
               ("pslld", [0, 7, 31, 32]), ("psrld", [9, 31, 32]), ("psrad", [3, 31, 32, 255])]:
    for n in ns:
        v(SI, f"{op} xmm1, {n}", NONE)
for op in ["psllw", "psrlw", "psraw", "pslld", "psrld", "psrad", "psllq", "psrlq"]:
    for n in ["5", "17", "33", "0x100000001"]:
        v(SI, f"{op} xmm1, xmm2", NONE, [f"XLO(2, {n})"])
    v(SI, f"{op} xmm3, xmmword ptr [rsi]", NONE, [A16("rsi")])

# ---- SSE/SSE2 floating point (x64_sse_fp.c) ----
for op in ["add", "sub", "mul", "div", "min", "max", "sqrt"]:
    for t in ["ps", "pd", "ss", "sd"]:
        v(SF, f"{op}{t} xmm0, xmm1", NONE)
        mem = {"ps": "xmmword", "pd": "xmmword", "ss": "dword", "sd": "qword"}[t]
        v(SF, f"{op}{t} xmm9, {mem} ptr [rsi]", NONE, [A16("rsi")] if t[0] == "p" else [P("rsi")])
    v(SF, f"{op}sd xmm2, xmm2", NONE)
for m in ["0x3f80", "0x5f80", "0x7f80", "0x9f80", "0x1fc0", "0xffc0"]:
    for ins in ["addsd xmm0, xmm1", "mulps xmm2, xmm3", "divss xmm4, xmm5", "sqrtpd xmm6, xmm7",
                "cvtsd2si eax, xmm1", "cvtpd2ps xmm1, xmm2", "cvtsi2ss xmm1, rax", "minsd xmm3, xmm4"]:
        v(SF, ins, NONE, [f"MXCSR({m})"])
for op in ["rcpps", "rcpss", "rsqrtps", "rsqrtss"]:
    v(SF, f"{op} xmm0, xmm1", NONE)
for ins in ["cvtsi2sd xmm0, eax", "cvtsi2sd xmm0, rax", "cvtsi2sd xmm1, dword ptr [rsi]",
            "cvtsi2sd xmm1, qword ptr [rsi]", "cvtsi2ss xmm2, ecx", "cvtsi2ss xmm12, r8",
            "cvtsi2ss xmm3, dword ptr [rsi]", "cvtsi2ss xmm3, qword ptr [rsi]",
            "cvttsd2si eax, xmm1", "cvttsd2si rax, xmm1", "cvttsd2si r9, qword ptr [rsi]",
            "cvtsd2si ecx, xmm2", "cvtsd2si r10, xmm13", "cvttss2si edx, xmm3",
            "cvttss2si rdx, dword ptr [rsi]", "cvtss2si eax, xmm4", "cvtss2si r11, xmm4",
            "cvtsd2ss xmm0, xmm1", "cvtsd2ss xmm0, qword ptr [rsi]", "cvtss2sd xmm2, xmm3",
            "cvtss2sd xmm2, dword ptr [rsi]", "cvtdq2pd xmm1, xmm2", "cvtdq2pd xmm1, qword ptr [rsi]",
            "cvtdq2ps xmm3, xmm4", "cvttps2dq xmm5, xmm6", "cvtps2dq xmm7, xmm8",
            "cvtpd2ps xmm9, xmm10", "cvtps2pd xmm11, xmm12", "cvtps2pd xmm11, qword ptr [rsi]",
            "cvtpd2dq xmm13, xmm14", "cvttpd2dq xmm15, xmm0", "cvtdq2ps xmm1, xmmword ptr [rdi]"]:
    v(SF, ins, NONE, [P("rsi"), A16("rdi")])
v(SF, "cvttsd2si rax, xmm1", NONE, ["XLO(1, 0x43e0000000000000)"])
v(SF, "cvttsd2si eax, xmm1", NONE, ["XLO(1, 0xc1e0000000000000)"])
v(SF, "cvtsd2si eax, xmm1", NONE, ["XLO(1, 0x4004000000000000)", "MXCSR(0x1f80)"])
for op in ["ucomisd", "comisd", "ucomiss", "comiss"]:
    v(SF, f"{op} xmm0, xmm1", ALL)
    v(SF, f"{op} xmm5, xmm5", ALL)
    mem = "qword" if op.endswith("d") else "dword"
    v(SF, f"{op} xmm2, {mem} ptr [rsi]", ALL, [P("rsi")])
v(SF, "ucomisd xmm0, xmm1", ALL, ["XLO(0, 0x3ff0000000000000)", "XLO(1, 0x3ff0000000000000)"])
v(SF, "ucomisd xmm0, xmm1", ALL, ["XLO(0, 0x3ff0000000000000)", "XLO(1, 0x4000000000000000)"])
v(SF, "comiss xmm0, xmm1", ALL, ["XLO(0, 0x40000000)", "XLO(1, 0x3f800000)"])
for t in ["ps", "pd", "ss", "sd"]:
    for n in range(8):
        v(SF, f"cmp{t} xmm0, xmm1, {n}", NONE)
    v(SF, f"cmp{t} xmm3, xmm3, 3", NONE)
    mem = {"ps": "xmmword", "pd": "xmmword", "ss": "dword", "sd": "qword"}[t]
    v(SF, f"cmp{t} xmm2, {mem} ptr [rsi], 1", NONE, [A16("rsi")])
v(SF, "movsd xmm0, qword ptr [rsi]; mulsd xmm0, xmm1; addsd xmm0, xmm2; cvttsd2si eax, xmm0", NONE, [P("rsi")])
# mixed-width state accesses in one block (the state pass must not forward
# across partial overwrites)
v(SM, "movdqa xmm1, xmm2; pinsrw xmm1, eax, 1; movq rbx, xmm1; pextrw ecx, xmm1, 1", NONE)
v(SM, "movdqa xmm1, xmm2; pinsrw xmm1, eax, 6; movhlps xmm3, xmm1; movq rbx, xmm3", NONE)
v(SM, "movq xmm0, rax; movss xmm0, xmm1; movq rbx, xmm0; movd ecx, xmm0", NONE)
v(SM, "movq xmm0, rax; movsd xmm0, xmm1; pextrw ebx, xmm0, 2; movq rcx, xmm0", NONE)
v(SM, "pxor xmm0, xmm0; pcmpeqb xmm0, xmm1; pmovmskb eax, xmm0; movq rbx, xmm0", NONE)
v(SM, "movdqu xmm0, xmmword ptr [rsi]; pcmpeqb xmm0, xmm1; pmovmskb eax, xmm0; bsf eax, eax", NONE, [P("rsi")])
v(SM, "movdqa xmm0, xmm1; addsd xmm0, xmm2; movq rax, xmm0; movhlps xmm3, xmm0; movq rbx, xmm3", NONE)
v(SM, "movd xmm0, eax; punpcklbw xmm0, xmm0; punpcklwd xmm0, xmm0; pshufd xmm0, xmm0, 0; movq rbx, xmm0", NONE)
# x87 control and environment (the native prologue runs FNINIT)
v(SM, "fnstsw ax", NONE)
v(SM, "fnstsw word ptr [rdi]; fnclex; fnstsw word ptr [rdi+2]", NONE, [P("rdi")])
v(SM, "fnstenv [rdi]; fnstcw word ptr [rdi+32]; fldenv [rdi]; fnstcw word ptr [rdi+34]", NONE, [P("rdi", "0x7c0")])
v(SM, "fnstenv [rsi]; mov word ptr [rsi], 0x27f; fldenv [rsi]; fnstenv [rdi]; fninit", NONE,
  [P("rsi", "0x3c0"), P("rdi", "0x3c0"), O("rdi", "0x400")])
# user mode's x87 data subset (x64_sse_x87.c); each vector leaves the stack empty
v(SM, "fld tbyte ptr [rsi]; fstp tbyte ptr [rdi]", NONE, [P("rsi"), P("rdi")])
v(SM, "fld qword ptr [rsi]; fstp tbyte ptr [rdi]", NONE, [P("rsi"), P("rdi")])
v(SM, "fld dword ptr [rsi]; fstp tbyte ptr [rdi]", NONE, [P("rsi"), P("rdi")])
v(SM, "fld tbyte ptr [rsi]; fstp qword ptr [rdi]", NONE, [P("rsi"), P("rdi")])
v(SM, "fld qword ptr [rsi]; fstp dword ptr [rdi]", NONE, [P("rsi"), P("rdi")])
v(SM, "fld dword ptr [rsi]; fld qword ptr [rsi+8]; fxch st(1); fstp qword ptr [rdi]; fstp dword ptr [rdi+8]", NONE, [P("rsi"), P("rdi")])
v(SM, "fld qword ptr [rsi]; fld st(0); fabs; fstp qword ptr [rdi]; fchs; fst qword ptr [rdi+8]; fstp st(0)", NONE, [P("rsi"), P("rdi")])
v(SM, "fld qword ptr [rsi]; fld qword ptr [rsi+8]; fstp st(1); fstp tbyte ptr [rdi]", NONE, [P("rsi"), P("rdi")])
for ld in ["tbyte ptr [rsi]", "qword ptr [rsi]", "dword ptr [rsi+4]"]:
    v(SM, f"fld {ld}; fxam; fnstsw ax; fstp st(0)", NONE, [P("rsi")])
v(SM, "fxam; fnstsw ax", NONE)
for a, b in [("tbyte ptr [rsi]", "tbyte ptr [rsi+16]"), ("qword ptr [rsi]", "qword ptr [rsi+8]"), ("qword ptr [rsi]", "qword ptr [rsi]")]:
    v(SM, f"fld {b}; fld {a}; fucomip st(0), st(1); fstp st(0)", ALL, [P("rsi")])
    v(SM, f"fld {b}; fld {a}; fucomi st(0), st(1); fstp st(0); fstp st(0)", ALL, [P("rsi")])
    v(SM, f"fld {b}; fld {a}; fcomip st(0), st(1); fstp st(0)", ALL, [P("rsi")])

# lazy flags: conditions folded from the last ALU op in the same block, at
# every operand size, and the flags computed from the lazy state at the end
CCS = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
for cc in CCS:
    v("movs", f"cmp al, bl; set{cc} cl; cmp dx, si; set{cc} dil; cmp r8d, r9d; set{cc} r10b")
    v("movs", f"sub eax, ebx; cmov{cc} ecx, edx; add r8w, r9w; set{cc} sil; and r10, r11; set{cc} dil")
    v("movs", f"cmp r8w, r8w; set{cc} cl; mov eax, ebx; cmp rax, rbx; set{cc} dl; cmp bl, bh; set{cc} sil")
for cc in ["b", "ae", "e", "ne", "s", "ns", "p", "np", "o", "no", "l", "g"]:
    v("movs", f"shl eax, 1; set{cc} cl; shr bx, 1; set{cc} dl; sar r8b, 1; set{cc} sil", "0x8c5")
for cc in ["b", "e", "s", "p", "ae", "be"]:
    v("movs", f"shr eax, 5; set{cc} cl; shl rbx, 13; set{cc} dl; sar r8w, 3; set{cc} sil", SHIFTN)
for cc in ["o", "b", "no", "ae"]:
    v("movs", f"imul eax, ebx; set{cc} cl; imul r8w, r9w, 0x1234; set{cc} dl", MUL)
v("movs", "cmp eax, ebx; jb 1f; inc rcx; 1: add edx, esi; jle 2f; dec rcx; 2: nop")
v("movs", "xor eax, ebx; inc ecx; adc rdx, rsi; setc al")
v("movs", "cmp rax, rbx; sbb ecx, ecx; test dl, dl; pushfq; pop rsi")
# (rotates keep AF; OF after a multi-bit rotate is undefined: not read)
for cc in ["b", "ae", "e", "ne", "s", "p", "a", "be"]:
    v("movs", f"add eax, ebx; rol eax, 7; set{cc} cl; sub dx, si; ror dx, 3; ror dx, 1; set{cc} bl")
    v("movs", f"and r8b, r9b; rol r8b, 1; set{cc} cl; shr r10, 3; ror r10, 9; set{cc} dl", "0x0c5")
for cc in ["o", "b", "e", "s", "p", "l", "le", "a"]:
    v("movs", f"add eax, ebx; inc eax; set{cc} cl; cmp r8, r9; dec r8b; set{cc} dl; shl r10w, 1; inc r10w; set{cc} sil")
v("movs", "stc; inc rax; dec rbx; adc rcx, rdx")
v("movs", "add rax, rbx; dec rcx; inc rdx; sbb rsi, rdi")
v("movs", "inc eax; ror eax, 1; setc cl; dec bx; rol bx, 1; seto dl")
v("movs", "dec r8b; rol r8b, 1; sete cl; pushfq; pop rsi")
