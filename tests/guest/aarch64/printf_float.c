/* printf of floating-point numbers in every conversion glibc offers. */
#include <stdio.h>

int main(void)
{
    static const double v[] = {0.0, -0.0, 1.0, 0.5, 2.0 / 3.0, 1e10, 1.5e-7, 123456.789,
                               -987.654321, 6.02214076e23, 1.0 / 0.0, 3.0e-320};
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        printf("%f | %.3f | %e | %.10g | %g | %a | %12.4f|%-12.2e|\n", v[i], v[i], v[i], v[i],
               v[i], v[i], v[i], v[i]);
    float f = 3.14159265f;
    printf("float %f %.8f %g\n", f, f, (double)f * 2);
    long double ld = 1.0L / 3.0L;
    printf("long double %.20Lf %Lg\n", ld, ld);
    printf("pi to 30 digits %.30f\n", 3.14159265358979323846);
    return 0;
}
