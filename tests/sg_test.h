/* sg_test.h - the tiny test harness of symgraph's tests.
 * Each test file defines tests with SG_TEST(name) { ... } and calls them from
 * main through SG_RUN(name); SG_DONE() prints "<file>: N passed, N failed" and
 * returns the exit status. Checks never abort: a failed check marks the test. */
#ifndef SG_TEST_H
#define SG_TEST_H
#include <stdio.h>
#include <string.h>
#include <math.h>

static int sg_t_pass, sg_t_fail, sg_t_cur_failed;
static int sg_t_names_eq(const char *const *names, int n, const char *const *want);
static void sg_t_print_names(const char *const *names, int n);
static const char *sg_t_cur;

#define SG_TEST(name) static void name(void)
#define SG_RUN(name)                                                      \
    do {                                                                  \
        sg_t_cur = #name;                                                 \
        sg_t_cur_failed = 0;                                              \
        name();                                                           \
        if (sg_t_cur_failed) sg_t_fail++; else sg_t_pass++;               \
    } while (0)
#define SG_FAILF(...)                                                     \
    do {                                                                  \
        printf("FAIL %s (%s:%d): ", sg_t_cur, __FILE__, __LINE__);        \
        printf(__VA_ARGS__);                                              \
        printf("\n");                                                     \
        sg_t_cur_failed = 1;                                              \
    } while (0)
#define CHECK(c)                                                          \
    do { if (!(c)) SG_FAILF("%s", #c); } while (0)
#define CHECK_MSG(c, ...)                                                 \
    do { if (!(c)) SG_FAILF(__VA_ARGS__); } while (0)
#define CHECK_STR(a, b)                                                   \
    do {                                                                  \
        const char *sg_a_ = (a), *sg_b_ = (b);                            \
        if (!sg_a_ || !sg_b_ || strcmp(sg_a_, sg_b_))                     \
            SG_FAILF("%s == %s: \"%s\" vs \"%s\"", #a, #b,                \
                     sg_a_ ? sg_a_ : "(null)", sg_b_ ? sg_b_ : "(null)"); \
    } while (0)
#define CHECK_INT(a, b)                                                   \
    do {                                                                  \
        long long sg_a_ = (long long)(a), sg_b_ = (long long)(b);         \
        if (sg_a_ != sg_b_) SG_FAILF("%s == %s: %lld vs %lld", #a, #b, sg_a_, sg_b_); \
    } while (0)
#define CHECK_NEAR(a, b, tol)                                             \
    do {                                                                  \
        double sg_a_ = (double)(a), sg_b_ = (double)(b);                  \
        if (!(fabs(sg_a_ - sg_b_) <= (tol)))                              \
            SG_FAILF("%s ~= %s: %.9g vs %.9g", #a, #b, sg_a_, sg_b_);     \
    } while (0)
#define SG_DONE(file)                                                     \
    ((void)sg_t_read, (void)sg_t_names_eq, (void)sg_t_print_names, printf("%s: %d passed, %d failed\n", file, sg_t_pass, sg_t_fail), sg_t_fail ? 1 : 0)

/* Check that a NULL-terminated list of expected names equals names[0..n). */
static int sg_t_names_eq(const char *const *names, int n, const char *const *want) {
    int i;
    if (!names) return 0;
    for (i = 0; want[i]; i++)
        if (i >= n || strcmp(names[i], want[i])) return 0;
    return i == n;
}
static void sg_t_print_names(const char *const *names, int n) {
    int i;
    printf("    got [");
    if (!names) n = 0;
    for (i = 0; i < n; i++) printf("%s%s", i ? ", " : "", names[i]);
    printf("]\n");
}
#define CHECK_NAMES(names, n, ...)                                        \
    do {                                                                  \
        static const char *const sg_w_[] = {__VA_ARGS__, NULL};           \
        if (!sg_t_names_eq(names, n, sg_w_)) {                            \
            SG_FAILF("names differ from [%s]", #__VA_ARGS__);             \
            sg_t_print_names(names, n);                                   \
        }                                                                 \
    } while (0)

/* Read a whole file into a malloc'd NUL-terminated buffer (NULL if missing). */
#include <stdlib.h>
static char *sg_t_read(const char *path, size_t *len);
static char *sg_t_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = (char *)malloc((size_t)n + 1);
    if (!b) { fclose(f); return NULL; }
    if (fread(b, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(b); return NULL; }
    b[n] = 0;
    fclose(f);
    if (len) *len = (size_t)n;
    return b;
}
#endif
