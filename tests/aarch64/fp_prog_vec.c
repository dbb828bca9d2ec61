/* FP/SIMD guest program (test_a64_fp_progs), built with -O3 so that gcc's
 * auto-vectorizer emits Advanced SIMD: interleaved structures (LD2/LD3/LD4,
 * ST2..), widening and narrowing, reductions, min/max, shifts, conversions
 * between integer and float vectors, FMLA, compares and selects.  Prints
 * checksums that must match qemu-aarch64's (fp_prog_expected/). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 1000

static uint8_t b8[N + 64], c8[N + 64];
static int16_t s16[N + 64];
static int32_t i32[N + 64], j32[N + 64];
static uint32_t u32[N + 64];
static int64_t i64[N + 64];
static float f32[N + 64], g32[N + 64];
static double f64[N + 64], g64[N + 64];
struct rgb { uint8_t r, g, b; };
static struct rgb px[N];
struct pt { float x, y; };
static struct pt pts[N];
struct q4 { int16_t a, b, c, d; };
static struct q4 quads[N];

static uint64_t hsum = 1469598103934665603ull;
static void mix(uint64_t v)
{
    hsum ^= v;
    hsum *= 1099511628211ull;
}

static void init(unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (int i = 0; i < N + 64; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b8[i] = (uint8_t)x;
        c8[i] = (uint8_t)(x >> 8);
        s16[i] = (int16_t)(x >> 3);
        i32[i] = (int32_t)x;
        j32[i] = (int32_t)(x >> 7) - 5000;
        u32[i] = x * 3;
        i64[i] = (int64_t)x * 77777 - 123456789;
        f32[i] = (float)(int32_t)x / 65536.0f;
        g32[i] = (float)(x & 0xffff) / 1000.0f - 30.0f;
        f64[i] = (double)(int32_t)x / 3.0;
        g64[i] = (double)(x % 1000) * 0.25;
    }
    for (int i = 0; i < N; i++) {
        px[i].r = b8[i];
        px[i].g = c8[i];
        px[i].b = (uint8_t)(b8[i] ^ c8[i]);
        pts[i].x = f32[i];
        pts[i].y = g32[i];
        quads[i].a = s16[i];
        quads[i].b = (int16_t)(s16[i] * 3);
        quads[i].c = (int16_t)b8[i];
        quads[i].d = (int16_t)-c8[i];
    }
}

__attribute__((noinline)) static void int_ops(void)
{
    uint32_t sum = 0, mx = 0;
    int32_t mn = INT32_MAX;
    uint64_t wide = 0;
    for (int i = 0; i < N; i++) {
        sum += b8[i];
        mx = mx > u32[i] ? mx : u32[i];
        mn = mn < i32[i] ? mn : i32[i];
        wide += (uint64_t)((int64_t)i32[i] * j32[i]);
    }
    mix(sum), mix(mx), mix((uint32_t)mn), mix(wide);
    for (int i = 0; i < N; i++) {
        j32[i] = (i32[i] >> 3) + (int32_t)((uint32_t)j32[i] << 2) - (int32_t)(u32[i] >> 28);
        u32[i] = (u32[i] * 7) ^ (uint32_t)b8[i];
        c8[i] = (uint8_t)((b8[i] + c8[i] + 1) >> 1);
        s16[i] = (int16_t)(s16[i] * b8[i]);
        i64[i] = i64[i] + (int64_t)i32[i] * 3;
    }
    for (int i = 0; i < N; i++) {
        int v = b8[i] - c8[i];
        b8[i] = (uint8_t)(v < 0 ? -v : v);
        i32[i] = i32[i] > j32[i] ? i32[i] : j32[i] - 1;
        int t = s16[i] + 1000;
        s16[i] = (int16_t)(t > 32767 ? 32767 : t < -32768 ? -32768 : t);
    }
    uint64_t cs = 0;
    for (int i = 0; i < N; i++)
        cs += b8[i] + c8[i] * 3u + (uint16_t)s16[i] + (uint32_t)i32[i] + (uint64_t)i64[i] + u32[i] +
              (uint32_t)j32[i];
    mix(cs);
}

__attribute__((noinline)) static void structs(void)
{
    uint32_t r = 0, g = 0, b = 0;
    for (int i = 0; i < N; i++) {
        r += px[i].r;
        g += px[i].g;
        b += px[i].b;
    }
    mix(r), mix(g), mix(b);
    for (int i = 0; i < N; i++) {
        uint8_t t = px[i].r;
        px[i].r = px[i].b;
        px[i].b = (uint8_t)(t + px[i].g);
    }
    float sx = 0, sy = 0;
    for (int i = 0; i < N; i++) {
        sx += pts[i].x * 0.5f;
        sy += pts[i].y;
        pts[i].x = pts[i].y * 2.0f - pts[i].x;
    }
    mix((uint64_t)(int64_t)(sx * 16)), mix((uint64_t)(int64_t)(sy * 16));
    for (int i = 0; i < N; i++) {
        quads[i].a += quads[i].d;
        quads[i].b -= quads[i].c;
        quads[i].c = (int16_t)(quads[i].c << 2);
    }
    uint64_t cs = 0;
    for (int i = 0; i < N; i++)
        cs = cs * 31 + px[i].r + px[i].b * 5u + (uint16_t)quads[i].a + (uint16_t)quads[i].b +
             (uint16_t)quads[i].c + (uint32_t)(int32_t)(pts[i].x * 8);
    mix(cs);
}

__attribute__((noinline)) static void float_ops(void)
{
    float dot = 0, mxf = -1e30f;
    double dd = 0;
    for (int i = 0; i < N; i++) {
        dot += f32[i] * g32[i];
        mxf = mxf > g32[i] ? mxf : g32[i];
        dd += f64[i] * g64[i];
    }
    mix((uint64_t)(int64_t)dot), mix((uint64_t)(int64_t)(mxf * 1000)), mix((uint64_t)(int64_t)dd);
    for (int i = 0; i < N; i++) {
        f32[i] = f32[i] * 0.75f + g32[i];
        g32[i] = g32[i] < 0 ? -g32[i] : g32[i] / 3.0f;
        f64[i] = f64[i] * g64[i] - 1.5;
        g64[i] = g64[i] > 100.0 ? 100.0 : g64[i];
        i32[i] = (int32_t)f32[i];
        u32[i] = (uint32_t)g32[i];
        f32[i] += (float)j32[i];
        f64[i] += (double)i64[i] / 1024.0;
        i64[i] = (int64_t)(g64[i] * 1000.0);
    }
    uint64_t cs = 0;
    for (int i = 0; i < N; i++) {
        uint32_t fb, gb;
        uint64_t db;
        memcpy(&fb, &f32[i], 4);
        memcpy(&gb, &g32[i], 4);
        memcpy(&db, &f64[i], 8);
        cs = cs * 131 + fb + gb + db + (uint32_t)i32[i] + u32[i] + (uint64_t)i64[i];
    }
    mix(cs);
}

__attribute__((noinline)) static void bytes(void)
{
    /* byte search and histogram style loops */
    unsigned cnt = 0, firstz = N;
    for (int i = 0; i < N; i++)
        cnt += b8[i] == c8[i] || b8[i] > 200;
    for (int i = 0; i < N; i++)
        if (c8[i] == 0) {
            firstz = (unsigned)i;
            break;
        }
    for (int i = 0; i < N; i++)
        c8[i] = (uint8_t)(b8[i] < 128 ? b8[i] * 2 : 255);
    for (int i = 0; i < N; i++)
        b8[i] = (uint8_t)(s16[i] >> 8);
    mix(cnt), mix(firstz);
    uint64_t cs = 0;
    for (int i = 0; i < N; i++)
        cs = cs * 3 + b8[i] + c8[i];
    mix(cs);
}

int main(void)
{
    for (unsigned round = 1; round <= 3; round++) {
        init(round);
        int_ops();
        structs();
        float_ops();
        bytes();
        printf("round %u %016llx\n", round, (unsigned long long)hsum);
    }
    return 0;
}
