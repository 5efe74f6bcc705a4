/* check.h — a tiny assertion/reporting harness for the native C tests.
 *
 *   CHECK(cond)              counts a pass, or prints the expression and fails
 *   CHECK_EQ(a, b)           compares two scalars (integers, pointers, enums),
 *                            printing both expressions and both values on failure
 *   CHECK_NE(a, b)           the opposite
 *   CHECK_STREQ(a, b)        compares two C strings, printing both
 *   CHECKF(cond, fmt, ...)   CHECK with a printf-style context message
 *   TEST_BEGIN("name")       prints a section header (and remembers the name
 *                            so failures say which test they belong to)
 *   check_summary()          prints "N passed, N failed" and returns the exit
 *                            code (failures != 0)
 *
 * Failures never stop the test; the first CHECK_MAX_PRINTED failures are
 * printed in full, later ones only counted (a loop over 514 sizes that fails
 * everywhere should not flood the log). The harness is header-only and keeps
 * its counters in static variables: include it from exactly one .c file.
 */
#ifndef PYHEAP_TESTS_CHECK_H
#define PYHEAP_TESTS_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CHECK_MAX_PRINTED
#define CHECK_MAX_PRINTED 60
#endif

static unsigned long check_npassed, check_nfailed;
static const char *check_test_name = "(no test)";

static inline void check_begin(const char *name) {
    check_test_name = name;
    fprintf(stderr, "== %s\n", name);
}
#define TEST_BEGIN(name) check_begin(name)

/* Returns 1 if the failure should be printed. */
static inline int check_fail_head(const char *file, int line) {
    check_nfailed++;
    if (check_nfailed > CHECK_MAX_PRINTED) {
        if (check_nfailed == CHECK_MAX_PRINTED + 1)
            fprintf(stderr, "   (further failures are counted, not printed)\n");
        return 0;
    }
    fprintf(stderr, "FAIL [%s] %s:%d: ", check_test_name, file, line);
    return 1;
}

/* Value printers, selected with _Generic so CHECK_EQ shows both values. */
static inline void check_pr_i(long long v) { fprintf(stderr, "%lld (0x%llx)", v, (unsigned long long)v); }
static inline void check_pr_u(unsigned long long v) { fprintf(stderr, "%llu (0x%llx)", v, v); }
static inline void check_pr_p(const void *v) { fprintf(stderr, "%p", v); }
static inline void check_pr_d(double v) { fprintf(stderr, "%.17g", v); }
#define check_pr(x) _Generic((x),                                            \
    _Bool: check_pr_i, char: check_pr_i, signed char: check_pr_i,            \
    short: check_pr_i, int: check_pr_i, long: check_pr_i,                    \
    long long: check_pr_i,                                                    \
    unsigned char: check_pr_u, unsigned short: check_pr_u,                   \
    unsigned int: check_pr_u, unsigned long: check_pr_u,                     \
    unsigned long long: check_pr_u,                                           \
    float: check_pr_d, double: check_pr_d,                                    \
    default: check_pr_p)(x)

#define CHECK(cond) do {                                                      \
    if (cond) check_npassed++;                                                \
    else if (check_fail_head(__FILE__, __LINE__))                             \
        fprintf(stderr, "CHECK(%s)\n", #cond);                                \
} while (0)

#define CHECKF(cond, ...) do {                                                \
    if (cond) check_npassed++;                                                \
    else if (check_fail_head(__FILE__, __LINE__)) {                           \
        fprintf(stderr, "CHECK(%s): ", #cond);                                \
        fprintf(stderr, __VA_ARGS__);                                         \
        fputc('\n', stderr);                                                  \
    }                                                                         \
} while (0)

/* Expected values are often int literals compared with enums or sizes: the
 * comparison is meant, so -Wsign-compare is silenced for it alone. */
#define CHECK_NOSIGN_(stmt)                                                   \
    _Pragma("GCC diagnostic push")                                            \
    _Pragma("GCC diagnostic ignored \"-Wsign-compare\"")                      \
    stmt                                                                      \
    _Pragma("GCC diagnostic pop")

#define CHECK_CMP_(a, b, op, opname) do {                                     \
    __auto_type check_a_ = (a);                                               \
    __auto_type check_b_ = (b);                                               \
    int check_ok_;                                                            \
    CHECK_NOSIGN_(check_ok_ = check_a_ op check_b_;)                          \
    if (check_ok_) check_npassed++;                                           \
    else if (check_fail_head(__FILE__, __LINE__)) {                           \
        fprintf(stderr, "%s(%s, %s): ", opname, #a, #b);                      \
        check_pr(check_a_);                                                   \
        fprintf(stderr, " vs ");                                              \
        check_pr(check_b_);                                                   \
        fputc('\n', stderr);                                                  \
    }                                                                         \
} while (0)

#define CHECK_EQ(a, b) CHECK_CMP_(a, b, ==, "CHECK_EQ")
#define CHECK_NE(a, b) CHECK_CMP_(a, b, !=, "CHECK_NE")
#define CHECK_LE(a, b) CHECK_CMP_(a, b, <=, "CHECK_LE")
#define CHECK_LT(a, b) CHECK_CMP_(a, b, <,  "CHECK_LT")

/* CHECK_EQ with a context message appended on failure. */
#define CHECK_EQF(a, b, ...) do {                                             \
    __auto_type check_a_ = (a);                                               \
    __auto_type check_b_ = (b);                                               \
    int check_ok_;                                                            \
    CHECK_NOSIGN_(check_ok_ = check_a_ == check_b_;)                          \
    if (check_ok_) check_npassed++;                                           \
    else if (check_fail_head(__FILE__, __LINE__)) {                           \
        fprintf(stderr, "CHECK_EQ(%s, %s): ", #a, #b);                        \
        check_pr(check_a_);                                                   \
        fprintf(stderr, " vs ");                                              \
        check_pr(check_b_);                                                   \
        fprintf(stderr, " -- ");                                              \
        fprintf(stderr, __VA_ARGS__);                                         \
        fputc('\n', stderr);                                                  \
    }                                                                         \
} while (0)

#define CHECK_STREQ(a, b) do {                                                \
    const char *check_sa_ = (a), *check_sb_ = (b);                            \
    if (check_sa_ && check_sb_ && strcmp(check_sa_, check_sb_) == 0)         \
        check_npassed++;                                                      \
    else if (check_fail_head(__FILE__, __LINE__))                             \
        fprintf(stderr, "CHECK_STREQ(%s, %s):\n--- got:\n%s\n--- expected:\n%s\n", \
                #a, #b, check_sa_ ? check_sa_ : "(null)",                     \
                check_sb_ ? check_sb_ : "(null)");                            \
} while (0)

/* Prints the summary line and returns the process exit code. */
static inline int check_summary(void) {
    printf("%lu passed, %lu failed\n", check_npassed, check_nfailed);
    fflush(stdout);
    return check_nfailed != 0;
}

#endif /* PYHEAP_TESTS_CHECK_H */
