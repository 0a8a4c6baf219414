/* Parameter files: MXNet .params NDArray lists (spec section 11) and NumPy .npy.
 * Byte-exact writers (spec 11.7 and 11.8 examples, files written by real MXNet
 * 1.9.1 / NumPy in tests/data/mxnet_golden, see tools/mxnet_ref/gen_params_goldens.py),
 * every record version, and corrupt, truncated and hostile files. */
#define SYMGRAPH_IMPLEMENTATION
#include "../symgraph.h"
#include "sg_test.h"
#include <stdint.h>

#define GOLD "tests/data/mxnet_golden/"
#define TMP "tests/tmp_params.params"
#define TMP2 "tests/tmp_params2.params"
#define TMPNPY "tests/tmp_params.npy"

/* ---- helpers ---- */

typedef struct bbuf { unsigned char b[16384]; size_t n; } bbuf;
static void b_u8(bbuf *b, unsigned v) { b->b[b->n++] = (unsigned char)(v & 0xff); }
static void b_u32(bbuf *b, uint32_t v) { int i; for (i = 0; i < 4; i++) b_u8(b, (unsigned)(v >> (8 * i))); }
static void b_u64(bbuf *b, uint64_t v) { int i; for (i = 0; i < 8; i++) b_u8(b, (unsigned)(v >> (8 * i))); }
static void b_raw(bbuf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static void b_f32(bbuf *b, float f) { uint32_t u; memcpy(&u, &f, 4); b_u32(b, u); }
static void b_f64(bbuf *b, double f) { uint64_t u; memcpy(&u, &f, 8); b_u64(b, u); }
static void b_str(bbuf *b, const char *s) { b_raw(b, s, strlen(s)); }
static void b_list(bbuf *b, uint64_t n) { b->n = 0; b_u64(b, 0x112); b_u64(b, 0); b_u64(b, n); }
static void b_name(bbuf *b, const char *s) { b_u64(b, strlen(s)); b_str(b, s); }
/* V2/V3 dense record header up to and including the dtype (context 1, 0). */
static void b_rec(bbuf *b, uint32_t magic, int ndim, const int64_t *dims, int dtype) {
    int i;
    b_u32(b, magic);
    b_u32(b, 0);
    b_u32(b, (uint32_t)ndim);
    for (i = 0; i < ndim; i++) b_u64(b, (uint64_t)dims[i]);
    b_u32(b, 1);
    b_u32(b, 0);
    b_u32(b, (uint32_t)dtype);
}

static int wfile(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    if (n && fwrite(p, 1, n, f) != n) { fclose(f); return 0; }
    return fclose(f) == 0;
}
static int file_exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}
/* The file equals the n bytes at want. */
static int file_is(const char *path, const void *want, size_t n, size_t *got) {
    size_t len = 0;
    char *d = sg_t_read(path, &len);
    int ok = d && len == n && !memcmp(d, want, n);
    if (got) *got = d ? len : 0;
    if (d && len == n && !ok) {
        size_t i;
        for (i = 0; i < n; i++)
            if (((const unsigned char *)want)[i] != (unsigned char)d[i]) { printf("    first difference at byte %lu\n", (unsigned long)i); break; }
    }
    free(d);
    return ok;
}
static int files_same(const char *a, const char *b) {
    size_t la = 0, lb = 0;
    char *da = sg_t_read(a, &la), *db = sg_t_read(b, &lb);
    int ok = da && db && la == lb && !memcmp(da, db, la);
    free(da);
    free(db);
    return ok;
}

/* sg_nd_load must fail with status (0: any), empty outputs, and a message that
 * names the file and contains sub. */
static int load_err_at(const char *path, int status, const char *sub, int line) {
    int n = 7, rc, ok;
    sg_ndarray *dummy_a[1];
    char *dummy_n[1];
    sg_ndarray **arrs = dummy_a;
    char **names = dummy_n;
    const char *m;
    rc = sg_nd_load(path, &n, &arrs, &names);
    m = sg_last_error();
    ok = rc < 0 && (!status || rc == status) && n == 0 && !arrs && !names && strstr(m, path) && strstr(m, sub);
    if (!ok) {
        SG_FAILF("line %d: sg_nd_load(%s) = %d (want %d), n %d, message \"%s\" (want \"%s\")", line, path, rc, status, n,
                 m, sub);
        if (rc == SG_OK) sg_nd_list_free(n, arrs, names);
    }
    return ok;
}
#define LOAD_ERR(path, status, sub) load_err_at(path, status, sub, __LINE__)
/* Write the buffer to TMP and expect a load error. */
#define BUF_ERR(b, status, sub) (wfile(TMP, (b)->b, (b)->n), load_err_at(TMP, status, sub, __LINE__))

static int npy_err_at(const char *path, int status, const char *sub, int line) {
    sg_ndarray *a;
    const char *m;
    int ok;
    sg__lerr(SG_OK, "%s", "");
    a = sg_nd_load_npy(path);
    m = sg_last_error();
    (void)status;
    ok = !a && strstr(m, path) && strstr(m, sub);
    if (!ok) SG_FAILF("line %d: sg_nd_load_npy(%s) gave %p, message \"%s\" (want \"%s\")", line, path, (void *)a, m, sub);
    sg_nd_free(a);
    return ok;
}
#define NPY_ERR(path, sub) npy_err_at(path, 0, sub, __LINE__)
#define NPYBUF_ERR(b, sub) (wfile(TMPNPY, (b)->b, (b)->n), npy_err_at(TMPNPY, 0, sub, __LINE__))

static int arr_is(const sg_ndarray *a, int dtype, int ndim, const int64_t *dims, const double *vals) {
    int i;
    int64_t k;
    if (!a || a->dtype != dtype || a->shape.ndim != ndim || !a->owns || a->dev_type != SG_CPU || a->dev_id != 0) return 0;
    for (i = 0; i < ndim; i++)
        if (a->shape.dims[i] != dims[i]) return 0;
    if (a->nbytes != (size_t)a->size * sg_dtype_size(dtype)) return 0;
    for (k = 0; k < a->size; k++)
        if (sg_nd_get(a, k) != vals[k]) return 0;
    return 1;
}

static const unsigned char spec_85[85] = {
    0x12, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0,
    0xc9, 0xfa, 0x93, 0xf9, 0, 0, 0, 0, 0x01, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
    0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40,
    0x01, 0, 0, 0, 0, 0, 0, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 'a', 'r', 'g', ':', 'w'};

/* ---- .params ---- */

SG_TEST(spec_example_save) {
    float v[2] = {1.0f, 2.0f};
    int64_t d[1] = {2};
    sg_ndarray *a = sg_nd_from_data(1, d, SG_FLOAT32, v);
    const char *names[1] = {"arg:w"};
    size_t got = 0;
    CHECK_INT(sg_nd_save(TMP, 1, &a, names), SG_OK);
    CHECK_MSG(file_is(TMP, spec_85, sizeof spec_85, &got), "spec 11.7 bytes differ (%lu bytes)", (unsigned long)got);
    sg_nd_free(a);
    remove(TMP);
}

SG_TEST(spec_example_load) {
    int n = 0;
    sg_ndarray **arrs = NULL;
    char **names = NULL;
    int64_t d[1] = {2};
    double want[2] = {1, 2};
    wfile(TMP, spec_85, sizeof spec_85);
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &names), SG_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK(names != NULL);
        if (names) CHECK_STR(names[0], "arg:w");
        CHECK(arr_is(arrs[0], SG_FLOAT32, 1, d, want));
        CHECK_INT(arrs[0]->size, 2);
        CHECK_INT(arrs[0]->nbytes, 8);
    }
    sg_nd_list_free(n, arrs, names);
    remove(TMP);
}

/* Every dtype, several shapes (0-size, 10 dims), UTF-8 and empty names. */
SG_TEST(roundtrip_dtypes_shapes) {
    enum { NA = 11 };
    sg_ndarray *a[NA];
    int64_t d23[2] = {2, 3}, d3[1] = {3}, d22[2] = {2, 2}, d4[1] = {4}, d121[3] = {1, 2, 1}, d2[1] = {2};
    int64_t d03[2] = {0, 3}, d10[10] = {1, 1, 2, 1, 1, 1, 1, 1, 1, 2};
    const char *names[NA] = {"arg:w", "aux:m", "arg:h\xc3\xa9llo", "\xe6\x97\xa5\xe6\x9c\xac:x", "", "int8", "int64",
                             "bool", "bf16", "empty", "ten"};
    int n = 0, i;
    int64_t k;
    sg_ndarray **arrs = NULL;
    char **nm = NULL;
    a[0] = sg_nd_zeros(2, d23, SG_FLOAT32);
    a[1] = sg_nd_zeros(1, d3, SG_FLOAT64);
    a[2] = sg_nd_zeros(2, d22, SG_FLOAT16);
    a[3] = sg_nd_zeros(1, d4, SG_UINT8);
    a[4] = sg_nd_zeros(3, d121, SG_INT32);
    a[5] = sg_nd_zeros(1, d3, SG_INT8);
    a[6] = sg_nd_zeros(1, d2, SG_INT64);
    a[7] = sg_nd_zeros(1, d3, SG_BOOL);
    a[8] = sg_nd_zeros(1, d2, SG_BFLOAT16);
    a[9] = sg_nd_zeros(2, d03, SG_FLOAT32);
    a[10] = sg_nd_zeros(10, d10, SG_FLOAT64);
    for (k = 0; k < 6; k++) sg_nd_set(a[0], k, (double)k * 0.5 - 1.25);
    sg_nd_set(a[1], 0, 1e300); sg_nd_set(a[1], 1, -0.1); sg_nd_set(a[1], 2, 3.0);
    sg_nd_set(a[2], 0, 0.5); sg_nd_set(a[2], 1, -1.0); sg_nd_set(a[2], 2, 65504.0); sg_nd_set(a[2], 3, 1.0 / 1024);
    sg_nd_set(a[3], 0, 0); sg_nd_set(a[3], 1, 1); sg_nd_set(a[3], 2, 200); sg_nd_set(a[3], 3, 255);
    sg_nd_set(a[4], 0, -5); sg_nd_set(a[4], 1, 2147483647.0);
    sg_nd_set(a[5], 0, -128); sg_nd_set(a[5], 2, 127);
    ((int64_t *)a[6]->data)[0] = INT64_MIN; ((int64_t *)a[6]->data)[1] = (int64_t)1 << 40;
    sg_nd_set(a[7], 0, 1); sg_nd_set(a[7], 2, 1);
    sg_nd_set(a[8], 0, 1.5); sg_nd_set(a[8], 1, -2);
    for (k = 0; k < 4; k++) sg_nd_set(a[10], k, (double)k + 0.25);
    CHECK_INT(sg_nd_save(TMP, NA, a, names), SG_OK);
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, NA);
    CHECK(nm != NULL);
    for (i = 0; i < n && i < NA && nm; i++) {
        const sg_ndarray *b = arrs[i];
        CHECK_STR(nm[i], names[i]);
        CHECK_INT(b->dtype, a[i]->dtype);
        CHECK_INT(b->shape.ndim, a[i]->shape.ndim);
        CHECK(sg__shape_eq(&b->shape, &a[i]->shape));
        CHECK_INT(b->size, a[i]->size);
        CHECK_INT(b->nbytes, a[i]->nbytes);
        CHECK(b->owns == 1 && b->dev_type == SG_CPU);
        CHECK_MSG(b->nbytes == a[i]->nbytes && (!b->nbytes || !memcmp(b->data, a[i]->data, b->nbytes)),
                  "array %d data differs", i);
    }
    if (n == NA) {
        CHECK_NEAR(sg_nd_get(arrs[0], 5), 1.25, 0);
        CHECK_NEAR(sg_nd_get(arrs[1], 0), 1e300, 0);
        CHECK_NEAR(sg_nd_get(arrs[2], 2), 65504.0, 0);
        CHECK_NEAR(sg_nd_get(arrs[3], 2), 200, 0);
        CHECK_NEAR(sg_nd_get(arrs[4], 1), 2147483647.0, 0);
        CHECK_NEAR(sg_nd_get(arrs[5], 0), -128, 0);
        CHECK(((int64_t *)arrs[6]->data)[0] == INT64_MIN);
        CHECK_NEAR(sg_nd_get(arrs[8], 1), -2, 0);
        CHECK_INT(arrs[9]->size, 0);
        CHECK_INT(arrs[9]->shape.dims[1], 3);
        CHECK_INT(arrs[10]->shape.ndim, 10);
        CHECK_NEAR(sg_nd_get(arrs[10], 3), 3.25, 0);
    }
    sg_nd_list_free(n, arrs, nm);
    for (i = 0; i < NA; i++) sg_nd_free(a[i]);
    remove(TMP);
}

/* An unnamed list writes K = 0 and loads with *names == NULL; an empty list. */
SG_TEST(unnamed_and_empty_lists) {
    int64_t d[1] = {1};
    sg_ndarray *a[2];
    int n = -1;
    sg_ndarray **arrs = NULL;
    char **nm = NULL;
    size_t len = 0;
    char *raw;
    static const unsigned char empty[32] = {0x12, 1, 0, 0, 0, 0, 0, 0};
    const char *no_names[1] = {NULL};
    a[0] = sg_nd_full(1, d, SG_FLOAT32, 3.5);
    a[1] = sg_nd_full(1, d, SG_INT64, -9);
    CHECK_INT(sg_nd_save(TMP, 2, a, NULL), SG_OK);
    raw = sg_t_read(TMP, &len);
    CHECK_INT(len, 24 + 2 * (4 + 4 + 4 + 8 + 8 + 4) + 4 + 8 + 8);
    if (raw && len >= 8) CHECK_MSG(!memcmp(raw + len - 8, "\0\0\0\0\0\0\0\0", 8), "K is not 0");
    free(raw);
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 2);
    CHECK(nm == NULL);
    if (n == 2) {
        CHECK_NEAR(sg_nd_get(arrs[0], 0), 3.5, 0);
        CHECK_INT(arrs[1]->dtype, SG_INT64);
        CHECK_NEAR(sg_nd_get(arrs[1], 0), -9, 0);
    }
    sg_nd_list_free(n, arrs, nm);
    /* empty list, with or without names: 32 bytes, K = 0 */
    CHECK_INT(sg_nd_save(TMP, 0, NULL, NULL), SG_OK);
    CHECK(file_is(TMP, empty, sizeof empty, NULL));
    CHECK_INT(sg_nd_save(TMP, 0, a, no_names), SG_OK);
    CHECK(file_is(TMP, empty, sizeof empty, NULL));
    n = -1;
    arrs = a;
    nm = (char **)no_names;
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 0);
    CHECK(arrs == NULL && nm == NULL);
    sg_nd_free(a[0]);
    sg_nd_free(a[1]);
    remove(TMP);
}

SG_TEST(save_errors) {
    int64_t d[1] = {2};
    float v[2] = {1, 2};
    sg_ndarray *a = sg_nd_from_data(1, d, SG_FLOAT32, v), *s = sg_nd_zeros(0, NULL, SG_FLOAT32), *l[2];
    sg_ndarray bad;
    const char *names[2] = {"a", NULL};
    remove(TMP);
    l[0] = a;
    l[1] = s;
    CHECK_INT(sg_nd_save(TMP, 2, l, NULL), SG_ERR_ARG);
    CHECK(strstr(sg_last_error(), "ndim 0") && strstr(sg_last_error(), "array 1") && strstr(sg_last_error(), TMP));
    CHECK(!file_exists(TMP)); /* nothing written on a bad argument */
    l[1] = a;
    CHECK_INT(sg_nd_save(TMP, 2, l, names), SG_ERR_ARG);
    CHECK(strstr(sg_last_error(), "name 1 is NULL") != NULL);
    l[1] = NULL;
    CHECK_INT(sg_nd_save(TMP, 2, l, NULL), SG_ERR_ARG);
    CHECK(strstr(sg_last_error(), "array 1 is NULL") != NULL);
    CHECK_INT(sg_nd_save(TMP, -1, l, NULL), SG_ERR_ARG);
    CHECK_INT(sg_nd_save(TMP, 1, NULL, NULL), SG_ERR_ARG);
    CHECK_INT(sg_nd_save(NULL, 1, l, NULL), SG_ERR_ARG);
    CHECK(!file_exists(TMP));
    bad = *a;
    bad.dtype = 9; /* uint16: no such sg_dtype */
    l[0] = &bad;
    CHECK_INT(sg_nd_save(TMP, 1, l, NULL), SG_ERR_ARG);
    CHECK(strstr(sg_last_error(), "dtype 9") != NULL);
    bad = *a;
    bad.shape.dims[0] = 3; /* size no longer matches */
    CHECK_INT(sg_nd_save(TMP, 1, l, NULL), SG_ERR_ARG);
    bad = *a;
    bad.dev_type = SG_GPU;
    CHECK_INT(sg_nd_save(TMP, 1, l, NULL), SG_ERR_ARG);
    CHECK(strstr(sg_last_error(), "GPU") != NULL);
    bad = *a;
    bad.data = NULL;
    CHECK_INT(sg_nd_save(TMP, 1, l, NULL), SG_ERR_ARG);
    CHECK(!file_exists(TMP));
    l[0] = a;
    CHECK_INT(sg_nd_save("tests/no_such_dir/tmp_x.params", 1, l, NULL), SG_ERR_IO);
    CHECK(strstr(sg_last_error(), "tests/no_such_dir/tmp_x.params") != NULL);
    LOAD_ERR("tests/tmp_no_such_file.params", SG_ERR_IO, "cannot open");
    {
        int n;
        sg_ndarray **arrs;
        char **nm;
        CHECK_INT(sg_nd_load(NULL, &n, &arrs, &nm), SG_ERR_ARG);
        CHECK_INT(sg_nd_load(TMP, NULL, &arrs, &nm), SG_ERR_ARG);
    }
    sg_nd_list_free(0, NULL, NULL);
    sg_nd_free(a);
    sg_nd_free(s);
}

/* The pre-V1 layout of tests/python/unittest/legacy_ndarray.v0 (spec 11.4):
 * 3224 bytes, six records "01000000 80000000 01000000 00000000 00000000" each
 * followed by float32 0..127, K = 0. Plus pre-V1 2-d and scalar records. */
SG_TEST(legacy_pre_v1) {
    bbuf *b = (bbuf *)malloc(sizeof(bbuf));
    int n = 0, i, j, ok = 1;
    sg_ndarray **arrs = NULL;
    char **nm = NULL;
    int64_t d23[2] = {2, 3};
    double w23[6] = {-1, 2, -3, 4, 5, 2147483647.0}, ws[1] = {-0.375};
    b_list(b, 6);
    for (i = 0; i < 6; i++) {
        b_u32(b, 1); b_u32(b, 128); b_u32(b, 1); b_u32(b, 0); b_u32(b, 0);
        for (j = 0; j < 128; j++) b_f32(b, (float)j);
    }
    b_u64(b, 0);
    CHECK_INT(b->n, 3224);
    wfile(TMP, b->b, b->n);
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 6);
    CHECK(nm == NULL);
    for (i = 0; i < n; i++) {
        CHECK(arrs[i]->dtype == SG_FLOAT32 && arrs[i]->shape.ndim == 1 && arrs[i]->shape.dims[0] == 128);
        for (j = 0; j < 128; j++) ok &= sg_nd_get(arrs[i], j) == (double)j;
    }
    CHECK(ok);
    sg_nd_list_free(n, arrs, nm);
    /* pre-V1 (2, 3) int32 and a pre-V1 ndim 0 scalar (float64), named */
    b_list(b, 2);
    b_u32(b, 2); b_u32(b, 2); b_u32(b, 3); b_u32(b, 1); b_u32(b, 0); b_u32(b, 4);
    for (j = 0; j < 6; j++) b_u32(b, (uint32_t)(int32_t)w23[j]);
    b_u32(b, 0); b_u32(b, 2); b_u32(b, 0); b_u32(b, 1);
    b_f64(b, -0.375);
    b_u64(b, 2);
    b_name(b, "arg:a");
    b_name(b, "aux:s");
    wfile(TMP, b->b, b->n);
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 2);
    if (n == 2 && nm) {
        CHECK(arr_is(arrs[0], SG_INT32, 2, d23, w23));
        CHECK(arr_is(arrs[1], SG_FLOAT64, 0, NULL, ws));
        CHECK_INT(arrs[1]->size, 1);
        CHECK_STR(nm[0], "arg:a");
        CHECK_STR(nm[1], "aux:s");
    }
    sg_nd_list_free(n, arrs, nm);
    free(b);
    remove(TMP);
}

/* V1 records (no storage type; i64 dims), built from spec 11.4. */
SG_TEST(v1_records) {
    bbuf *b = (bbuf *)malloc(sizeof(bbuf));
    int n = 0;
    sg_ndarray **arrs = NULL;
    char **nm = NULL;
    int64_t d22[2] = {2, 2};
    double w[4] = {1, -2, 3, -4}, ws[1] = {200};
    b_list(b, 2);
    b_u32(b, 0xF993FAC8u); b_u32(b, 2); b_u64(b, 2); b_u64(b, 2); b_u32(b, 1); b_u32(b, 0); b_u32(b, 6);
    b_u64(b, 1); b_u64(b, (uint64_t)-2); b_u64(b, 3); b_u64(b, (uint64_t)-4);
    b_u32(b, 0xF993FAC8u); b_u32(b, 0); b_u32(b, 2); b_u32(b, 0); b_u32(b, 3); b_u8(b, 200); /* scalar uint8, GPU ctx */
    b_u64(b, 0);
    wfile(TMP, b->b, b->n);
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK(arr_is(arrs[0], SG_INT64, 2, d22, w));
        CHECK(arr_is(arrs[1], SG_UINT8, 0, NULL, ws)); /* context ignored: loaded on the CPU */
    }
    sg_nd_list_free(n, arrs, nm);
    /* V1 unknown shape (ndim -1) and unknown dim (-1): MXNet's "none" array */
    b_list(b, 1);
    b_u32(b, 0xF993FAC8u); b_u32(b, (uint32_t)-1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "none");
    b_list(b, 1);
    b_u32(b, 0xF993FAC8u); b_u32(b, 2); b_u64(b, 2); b_u64(b, (uint64_t)-1); b_u32(b, 1); b_u32(b, 0); b_u32(b, 0);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "unknown dim 1");
    b_list(b, 1);
    b_u32(b, 0xF993FAC8u); b_u32(b, (uint32_t)-5);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "invalid ndim -5");
    free(b);
    remove(TMP);
}

/* V3 records: ndim 0 is a scalar with one element; a 0-size dim is empty. */
SG_TEST(v3_records) {
    bbuf *b = (bbuf *)malloc(sizeof(bbuf));
    int n = 0;
    sg_ndarray **arrs = NULL;
    char **nm = NULL;
    int64_t d03[2] = {0, 3};
    double ws[1] = {3.25};
    b_list(b, 2);
    b_rec(b, 0xF993FACAu, 0, NULL, SG_FLOAT64);
    b_f64(b, 3.25);
    b_rec(b, 0xF993FACAu, 2, d03, SG_FLOAT32);
    b_u64(b, 2);
    b_name(b, "s");
    b_name(b, "e");
    CHECK_INT(b->n, 24 + (12 + 12 + 8) + (12 + 16 + 12) + 8 + 9 + 9);
    wfile(TMP, b->b, b->n);
    CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 2);
    if (n == 2 && nm) {
        CHECK(arr_is(arrs[0], SG_FLOAT64, 0, NULL, ws));
        CHECK_INT(arrs[0]->size, 1);
        CHECK(arr_is(arrs[1], SG_FLOAT32, 2, d03, ws));
        CHECK_INT(arrs[1]->size, 0);
        CHECK(arrs[1]->data == NULL);
        CHECK_STR(nm[0], "s");
        CHECK_STR(nm[1], "e");
    }
    sg_nd_list_free(n, arrs, nm);
    /* V3 ndim -1 (unknown shape) is treated as corrupt */
    b_list(b, 1);
    b_u32(b, 0xF993FACAu); b_u32(b, 0); b_u32(b, (uint32_t)-1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "invalid ndim -1");
    /* V2 ndim 0 is MXNet's "none" array: an error here */
    b_list(b, 1);
    b_u32(b, 0xF993FAC9u); b_u32(b, 0); b_u32(b, 0);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "ndim 0");
    free(b);
    remove(TMP);
}

/* Every proper prefix of a valid file is an error; extra bytes at the end are ignored. */
SG_TEST(every_truncation) {
    int64_t d[2] = {2, 3}, d1[1] = {5};
    sg_ndarray *a[3];
    const char *names[3] = {"arg:w", "aux:\xc3\xa9", "x"};
    size_t len = 0, k;
    char *full;
    int failures = 0, n = 0;
    sg_ndarray **arrs = NULL;
    char **nm = NULL;
    a[0] = sg_nd_full(2, d, SG_FLOAT32, 1.5);
    a[1] = sg_nd_full(1, d1, SG_INT8, -3);
    a[2] = sg_nd_full(1, d1, SG_FLOAT16, 0.25);
    CHECK_INT(sg_nd_save(TMP2, 3, a, names), SG_OK);
    full = sg_t_read(TMP2, &len);
    CHECK(full != NULL && len > 100);
    for (k = 0; full && k < len; k++) {
        wfile(TMP, full, k);
        if (!LOAD_ERR(TMP, SG_ERR_PARSE, k < 8 ? "list magic" : "truncated")) {
            failures++;
            printf("    at length %lu of %lu\n", (unsigned long)k, (unsigned long)len);
            if (failures > 3) break;
        }
    }
    if (full) {
        /* trailing garbage after the names is ignored, as MXNet does */
        char *more = (char *)malloc(len + 5);
        memcpy(more, full, len);
        memcpy(more + len, "junk!", 5);
        wfile(TMP, more, len + 5);
        CHECK_INT(sg_nd_load(TMP, &n, &arrs, &nm), SG_OK);
        CHECK_INT(n, 3);
        if (n == 3 && nm) CHECK_STR(nm[1], "aux:\xc3\xa9");
        sg_nd_list_free(n, arrs, nm);
        free(more);
    }
    free(full);
    for (k = 0; k < 3; k++) sg_nd_free(a[k]);
    remove(TMP);
    remove(TMP2);
}

SG_TEST(corrupt_list_level) {
    bbuf *b = (bbuf *)malloc(sizeof(bbuf));
    int64_t d1[1] = {1};
    /* bad list magic */
    b_list(b, 0);
    b->b[0] = 0x13;
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "list magic 0x113");
    /* K not in {0, N} */
    b_list(b, 2);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 2);
    b_u64(b, 3);
    b_name(b, "a"); b_name(b, "b"); b_name(b, "c");
    BUF_ERR(b, SG_ERR_PARSE, "K = 3 must be 0 or N = 2");
    b_list(b, 2);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 2);
    b_u64(b, 1);
    b_name(b, "a");
    BUF_ERR(b, SG_ERR_PARSE, "K = 1 must be 0 or N = 2");
    /* huge N */
    b_list(b, (uint64_t)1 << 40);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "N = 1099511627776");
    b_list(b, UINT64_MAX);
    BUF_ERR(b, SG_ERR_PARSE, "N = 18446744073709551615");
    /* N larger than the records present */
    b_list(b, 3);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_u64(b, 0);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "record 1");
    /* huge name length, name with a NUL byte */
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_u64(b, 1);
    b_u64(b, (uint64_t)1 << 62);
    b_str(b, "abc");
    BUF_ERR(b, SG_ERR_PARSE, "name 0 length 4611686018427387904");
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_u64(b, 1);
    b_u64(b, 3);
    b_raw(b, "a\0b", 3);
    BUF_ERR(b, SG_ERR_PARSE, "NUL");
    /* an error in record 2 frees records 0 and 1 (ASan checks) */
    b_list(b, 3);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT64); b_f64(b, 2);
    b_rec(b, 0xF993FAC9u, 1, d1, 99); b_f32(b, 3);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "record 2: unknown dtype flag 99");
    /* an error in the names frees the arrays and earlier names */
    b_list(b, 2);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 1);
    b_rec(b, 0xF993FAC9u, 1, d1, SG_FLOAT32); b_f32(b, 2);
    b_u64(b, 2);
    b_name(b, "first");
    b_u64(b, 100);
    b_str(b, "short");
    BUF_ERR(b, SG_ERR_PARSE, "name 1 length 100");
    /* not a params file at all; an empty file */
    b->n = 0;
    b_str(b, "{\"nodes\": []}\n");
    BUF_ERR(b, SG_ERR_PARSE, "list magic");
    b->n = 0;
    BUF_ERR(b, SG_ERR_PARSE, "truncated");
    free(b);
    remove(TMP);
}

SG_TEST(corrupt_records) {
    bbuf *b = (bbuf *)malloc(sizeof(bbuf));
    int64_t d1[1] = {1}, d2[2] = {2, 3}, big[2] = {(int64_t)1 << 40, (int64_t)1 << 40};
    int64_t ovf[3] = {(int64_t)1 << 62, 4, 1}, neg[2] = {2, -2}, d11[11] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    int i;
    /* unrecognised magic: read as a pre-V1 ndim, far too big for the file */
    b_list(b, 1);
    b_u32(b, 0x12345678u);
    for (i = 0; i < 8; i++) b_u32(b, 0);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "unrecognised record magic 0x12345678");
    b_list(b, 1);
    b_u32(b, 0xF993FAC7u);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "0xf993fac7");
    /* huge ndim in a V2 record */
    b_list(b, 1);
    b_u32(b, 0xF993FAC9u); b_u32(b, 0); b_u32(b, 0x7fffffffu);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "ndim 2147483647");
    /* 11 dims that fit in the file: more than SG_MAX_NDIM */
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 11, d11, SG_FLOAT32); b_f32(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "ndim 11 is more than SG_MAX_NDIM");
    /* pre-V1 with 11 dims */
    b_list(b, 1);
    b_u32(b, 11);
    for (i = 0; i < 11; i++) b_u32(b, 1);
    b_u32(b, 1); b_u32(b, 0); b_u32(b, 0); b_f32(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "pre-V1");
    /* huge dims: data can't be in the file (no allocation is attempted) */
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 2, big, SG_FLOAT32); b_f32(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "(1099511627776, 1099511627776) float32 needs more than");
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 3, ovf, SG_FLOAT64); b_f64(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "needs more than");
    /* pre-V1 huge u32 dims */
    b_list(b, 1);
    b_u32(b, 2); b_u32(b, 0xffffffffu); b_u32(b, 0xffffffffu); b_u32(b, 1); b_u32(b, 0); b_u32(b, 0); b_f32(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "(4294967295, 4294967295) float32");
    /* negative dims */
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 2, neg, SG_FLOAT32); b_f32(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "dim 1 is negative (-2)");
    b_list(b, 1);
    b_u32(b, 0xF993FAC9u); b_u32(b, 0); b_u32(b, (uint32_t)-3);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "invalid ndim -3");
    /* sparse storage types */
    b_list(b, 1);
    b_u32(b, 0xF993FAC9u); b_u32(b, 1); b_u32(b, 1); b_u64(b, 1);
    for (i = 0; i < 16; i++) b_u32(b, 0);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "storage type 1 (row_sparse)");
    b->b[28] = 2;
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "storage type 2 (csr)");
    b->b[28] = 7;
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "storage type 7 (unknown)");
    b->b[24] = 0xCA; /* V3 sparse */
    b->b[28] = 2;
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "storage type 2 (csr)");
    /* dtype flags: unknown, and 8-11 that MXNet 1.9.1 cannot load */
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 2, d2, 99);
    for (i = 0; i < 6; i++) b_f32(b, 1);
    b_u64(b, 0);
    BUF_ERR(b, SG_ERR_PARSE, "unknown dtype flag 99");
    b->b[24 + 12 + 16 + 8] = 9;
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "dtype flag 9 (uint16)");
    b->b[24 + 12 + 16 + 8] = 11;
    BUF_ERR(b, SG_ERR_UNSUPPORTED, "dtype flag 11 (uint64)");
    b->b[24 + 12 + 16 + 8] = 0xff; b->b[24 + 12 + 16 + 9] = 0xff; b->b[24 + 12 + 16 + 10] = 0xff; b->b[24 + 12 + 16 + 11] = 0xff;
    BUF_ERR(b, SG_ERR_PARSE, "unknown dtype flag -1");
    /* the offset is in the message: dtype at 24 + 12 + 16 + 8 = 60 */
    BUF_ERR(b, SG_ERR_PARSE, "offset 60");
    /* data shorter than the shape */
    b_list(b, 1);
    b_rec(b, 0xF993FAC9u, 2, d2, SG_FLOAT64);
    for (i = 0; i < 5; i++) b_f64(b, 1);
    BUF_ERR(b, SG_ERR_PARSE, "(2, 3) float64 needs more than");
    (void)d1;
    free(b);
    remove(TMP);
}

/* Files written by real MXNet 1.9.1 (tools/mxnet_ref/gen_params_goldens.py). */
SG_TEST(mxnet_golden_load) {
    int n = 0;
    sg_ndarray **arrs = NULL;
    char **nm = NULL;
    int64_t d23[2] = {2, 3}, d1[1] = {1}, d2[1] = {2}, d12[2] = {1, 2}, d3[1] = {3}, d03[2] = {0, 3};
    double w[6] = {1, 2, 3, 4, 5, 6}, m[1] = {0.5}, idx[6] = {-1, 2, 3, 4, 5, 2147483647.0};
    double l0[2] = {1.5, -2}, l1[2] = {7, 255}, l2[3] = {0.5, -1, 65504}, l3[2] = {-128, 127}, l4[2] = {1099511627776.0, -3};
    double l5[3] = {1, 0, 1}, u[1] = {42}, s[1] = {3.5};
    CHECK_INT(sg_nd_load(GOLD "params_v2.params", &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 2);
    if (n == 2 && nm) {
        CHECK_NAMES((const char *const *)nm, n, "arg:w", "aux:m");
        CHECK(arr_is(arrs[0], SG_FLOAT32, 2, d23, w));
        CHECK(arr_is(arrs[1], SG_FLOAT64, 1, d1, m));
    }
    sg_nd_list_free(n, arrs, nm);
    CHECK_INT(sg_nd_load(GOLD "params_int32.params", &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 1);
    if (n == 1 && nm) {
        CHECK_STR(nm[0], "arg:idx");
        CHECK(arr_is(arrs[0], SG_INT32, 2, d23, idx));
    }
    sg_nd_list_free(n, arrs, nm);
    CHECK_INT(sg_nd_load(GOLD "params_list.params", &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 6);
    CHECK(nm == NULL);
    if (n == 6) {
        CHECK(arr_is(arrs[0], SG_FLOAT32, 1, d2, l0));
        CHECK(arr_is(arrs[1], SG_UINT8, 2, d12, l1));
        CHECK(arr_is(arrs[2], SG_FLOAT16, 1, d3, l2));
        CHECK(arr_is(arrs[3], SG_INT8, 1, d2, l3));
        CHECK(arr_is(arrs[4], SG_INT64, 1, d2, l4));
        CHECK(arr_is(arrs[5], SG_BOOL, 1, d3, l5));
    }
    sg_nd_list_free(n, arrs, nm);
    CHECK_INT(sg_nd_load(GOLD "params_utf8.params", &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 1);
    if (n == 1 && nm) {
        CHECK_STR(nm[0], "arg:h\xc3\xa9llo_\xe6\x97\xa5\xe6\x9c\xac");
        CHECK(arr_is(arrs[0], SG_FLOAT32, 1, d1, u));
    }
    sg_nd_list_free(n, arrs, nm);
    /* npx.save: V3 records, a 0-d scalar and an empty (0, 3) array */
    CHECK_INT(sg_nd_load(GOLD "params_v3.params", &n, &arrs, &nm), SG_OK);
    CHECK_INT(n, 2);
    if (n == 2 && nm) {
        CHECK_STR(nm[0], "s");
        CHECK_STR(nm[1], "e");
        CHECK(arr_is(arrs[0], SG_FLOAT32, 0, NULL, s));
        CHECK_INT(arrs[0]->size, 1);
        CHECK(arr_is(arrs[1], SG_FLOAT32, 2, d03, s));
        CHECK_INT(arrs[1]->size, 0);
    }
    sg_nd_list_free(n, arrs, nm);
}

/* sg_nd_save of the same arrays reproduces MXNet's files byte for byte. */
SG_TEST(mxnet_golden_save) {
    int64_t d23[2] = {2, 3}, d1[1] = {1}, d2[1] = {2}, d12[2] = {1, 2}, d3[1] = {3};
    sg_ndarray *a[6];
    const char *n2[2] = {"arg:w", "aux:m"}, *ni[1] = {"arg:idx"}, *nu[1] = {"arg:h\xc3\xa9llo_\xe6\x97\xa5\xe6\x9c\xac"};
    int i;
    a[0] = sg_nd_zeros(2, d23, SG_FLOAT32);
    for (i = 0; i < 6; i++) sg_nd_set(a[0], i, i + 1);
    a[1] = sg_nd_full(1, d1, SG_FLOAT64, 0.5);
    CHECK_INT(sg_nd_save(TMP, 2, a, n2), SG_OK);
    CHECK_MSG(files_same(TMP, GOLD "params_v2.params"), "params_v2.params differs");
    sg_nd_free(a[0]);
    sg_nd_free(a[1]);
    a[0] = sg_nd_zeros(2, d23, SG_INT32);
    sg_nd_set(a[0], 0, -1); sg_nd_set(a[0], 1, 2); sg_nd_set(a[0], 2, 3);
    sg_nd_set(a[0], 3, 4); sg_nd_set(a[0], 4, 5); sg_nd_set(a[0], 5, 2147483647.0);
    CHECK_INT(sg_nd_save(TMP, 1, a, ni), SG_OK);
    CHECK_MSG(files_same(TMP, GOLD "params_int32.params"), "params_int32.params differs");
    sg_nd_free(a[0]);
    a[0] = sg_nd_zeros(1, d2, SG_FLOAT32); sg_nd_set(a[0], 0, 1.5); sg_nd_set(a[0], 1, -2);
    a[1] = sg_nd_zeros(2, d12, SG_UINT8); sg_nd_set(a[1], 0, 7); sg_nd_set(a[1], 1, 255);
    a[2] = sg_nd_zeros(1, d3, SG_FLOAT16); sg_nd_set(a[2], 0, 0.5); sg_nd_set(a[2], 1, -1); sg_nd_set(a[2], 2, 65504);
    a[3] = sg_nd_zeros(1, d2, SG_INT8); sg_nd_set(a[3], 0, -128); sg_nd_set(a[3], 1, 127);
    a[4] = sg_nd_zeros(1, d2, SG_INT64); sg_nd_set(a[4], 0, 1099511627776.0); sg_nd_set(a[4], 1, -3);
    a[5] = sg_nd_zeros(1, d3, SG_BOOL); sg_nd_set(a[5], 0, 1); sg_nd_set(a[5], 2, 1);
    CHECK_INT(sg_nd_save(TMP, 6, a, NULL), SG_OK);
    CHECK_MSG(files_same(TMP, GOLD "params_list.params"), "params_list.params differs");
    for (i = 0; i < 6; i++) sg_nd_free(a[i]);
    a[0] = sg_nd_full(1, d1, SG_FLOAT32, 42);
    CHECK_INT(sg_nd_save(TMP, 1, a, nu), SG_OK);
    CHECK_MSG(files_same(TMP, GOLD "params_utf8.params"), "params_utf8.params differs");
    sg_nd_free(a[0]);
    remove(TMP);
}

/* ---- .npy ---- */

static const char npy_dict_2[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

SG_TEST(npy_spec_example) {
    unsigned char want[136];
    float v[2] = {1, 2};
    int64_t d[1] = {2};
    sg_ndarray *a = sg_nd_from_data(1, d, SG_FLOAT32, v), *b;
    size_t got = 0;
    double w[2] = {1, 2};
    memcpy(want, "\x93NUMPY\x01\x00\x76\x00", 10);
    memcpy(want + 10, npy_dict_2, 57);
    memset(want + 67, ' ', 60);
    want[127] = '\n';
    memcpy(want + 128, "\x00\x00\x80\x3f\x00\x00\x00\x40", 8);
    CHECK_INT(sizeof npy_dict_2 - 1, 57);
    CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
    CHECK_MSG(file_is(TMPNPY, want, sizeof want, &got), "136-byte npy differs (%lu bytes)", (unsigned long)got);
    b = sg_nd_load_npy(TMPNPY);
    CHECK(arr_is(b, SG_FLOAT32, 1, d, w));
    sg_nd_free(a);
    sg_nd_free(b);
    remove(TMPNPY);
}

/* Header text as NumPy >= 1.24 writes it: dict, 21 - len(str(shape[0])) growth
 * spaces, then spaces + '\n' so 10 + HEADER_LEN is a multiple of 64 (64 more when
 * it already is). Values computed with numpy/lib/format.py's formula. */
SG_TEST(npy_header_layout) {
    int64_t d1[4] = {0, 100000000000LL, 100000000000LL, 100000000000LL};
    int64_t d2[4] = {0, 100000000, 100000000, 10000000000000000LL};
    const char *dict1 = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 100000000000, 100000000000, 100000000000), }";
    const char *dict2 = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 100000000, 100000000, 10000000000000000), }";
    const char *dict0 = "{'descr': '|b1', 'fortran_order': False, 'shape': (), }";
    char want[256];
    size_t l;
    sg_ndarray *a = sg_nd_zeros(4, d1, SG_FLOAT32), *b;
    /* (0, 1e11, 1e11, 1e11): 98-char dict + 20 growth spaces crosses 128: HEADER_LEN 182 */
    memcpy(want, "\x93NUMPY\x01\x00\xb6\x00", 10);
    l = strlen(dict1);
    CHECK_INT(l, 98);
    memcpy(want + 10, dict1, l);
    memset(want + 10 + l, ' ', 182 - 1 - l);
    want[191] = '\n';
    CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
    CHECK_MSG(file_is(TMPNPY, want, 192, NULL), "growth header 1 differs");
    b = sg_nd_load_npy(TMPNPY);
    CHECK(b && b->shape.ndim == 4 && b->shape.dims[3] == 100000000000LL && b->size == 0);
    sg_nd_free(a);
    sg_nd_free(b);
    /* (0, 1e8, 1e8, 1e16): dict + growth + '\n' is exactly 118 = 128 - 10: NumPy adds 64 spaces */
    a = sg_nd_zeros(4, d2, SG_FLOAT32);
    l = strlen(dict2);
    CHECK_INT(l + 20 + 1 + 10, 128);
    memcpy(want + 10, dict2, l);
    memset(want + 10 + l, ' ', 182 - 1 - l);
    want[191] = '\n';
    CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
    CHECK_MSG(file_is(TMPNPY, want, 192, NULL), "aligned header differs");
    sg_nd_free(a);
    /* 0-d bool: no growth spaces */
    a = sg_nd_full(0, NULL, SG_BOOL, 1);
    memcpy(want, "\x93NUMPY\x01\x00\x76\x00", 10);
    l = strlen(dict0);
    memcpy(want + 10, dict0, l);
    memset(want + 10 + l, ' ', 118 - 1 - l);
    want[127] = '\n';
    want[128] = 1;
    CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
    CHECK_MSG(file_is(TMPNPY, want, 129, NULL), "0-d header differs");
    sg_nd_free(a);
    remove(TMPNPY);
}

SG_TEST(npy_roundtrip) {
    static const int dts[8] = {SG_FLOAT32, SG_FLOAT64, SG_FLOAT16, SG_UINT8, SG_INT8, SG_INT32, SG_INT64, SG_BOOL};
    static const char *const descr[8] = {"'<f4'", "'<f8'", "'<f2'", "'|u1'", "'|i1'", "'<i4'", "'<i8'", "'|b1'"};
    int64_t shapes[5][10] = {{0}, {0}, {2, 3}, {3, 1, 2}, {1, 2, 1, 1, 1, 1, 1, 1, 1, 2}};
    int nd[5] = {0, 1, 2, 3, 10};
    int t, s;
    int64_t k;
    for (t = 0; t < 8; t++)
        for (s = 0; s < 5; s++) {
            sg_ndarray *a = sg_nd_zeros(nd[s], shapes[s], dts[t]), *b;
            size_t len = 0;
            char *raw;
            for (k = 0; a && k < a->size; k++) sg_nd_set(a, k, dts[t] == SG_BOOL ? (double)(k % 2) : (double)(k * 3 % 7) - 2);
            CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
            raw = sg_t_read(TMPNPY, &len);
            if (raw && len >= 10) {
                size_t hl = (unsigned char)raw[8] | ((size_t)(unsigned char)raw[9] << 8);
                CHECK_INT((10 + hl) % 64, 0);
                CHECK_INT(len, 10 + hl + a->nbytes);
                CHECK(raw[10 + hl - 1] == '\n');
                CHECK(strstr(raw + 10, descr[t]) != NULL);
            }
            free(raw);
            b = sg_nd_load_npy(TMPNPY);
            CHECK_MSG(b != NULL, "dtype %d shape %d: %s", dts[t], s, sg_last_error());
            if (b) {
                CHECK_INT(b->dtype, dts[t]);
                CHECK(sg__shape_eq(&a->shape, &b->shape));
                CHECK_INT(b->size, a->size);
                CHECK(b->owns == 1);
                CHECK(!a->nbytes || !memcmp(a->data, b->data, a->nbytes));
            }
            sg_nd_free(a);
            sg_nd_free(b);
        }
    {
        int64_t d[1] = {2};
        sg_ndarray *a = sg_nd_zeros(1, d, SG_BFLOAT16);
        remove(TMPNPY);
        CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_ERR_UNSUPPORTED);
        CHECK(strstr(sg_last_error(), "bfloat16") && strstr(sg_last_error(), TMPNPY));
        CHECK(!file_exists(TMPNPY));
        CHECK_INT(sg_nd_save_npy(TMPNPY, NULL), SG_ERR_ARG);
        CHECK_INT(sg_nd_save_npy(NULL, a), SG_ERR_ARG);
        sg_nd_free(a);
        CHECK(sg_nd_load_npy(NULL) == NULL);
    }
    remove(TMPNPY);
}

/* Files written by NumPy 1.23.5 (the v1.0 headers are the same in >= 1.24 here). */
SG_TEST(npy_golden) {
    sg_ndarray *a;
    int64_t d23[2] = {2, 3}, d3[1] = {3};
    double w[6] = {1, 2, 3, 4, 5, 6}, s7[1] = {7}, be[3] = {1, -2, 16909060};
    a = sg_nd_load_npy(GOLD "npy_f32.npy");
    CHECK(arr_is(a, SG_FLOAT32, 2, d23, w));
    CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
    CHECK_MSG(files_same(TMPNPY, GOLD "npy_f32.npy"), "npy_f32.npy differs");
    sg_nd_free(a);
    a = sg_nd_load_npy(GOLD "npy_i64_scalar.npy");
    CHECK(arr_is(a, SG_INT64, 0, NULL, s7));
    CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
    CHECK_MSG(files_same(TMPNPY, GOLD "npy_i64_scalar.npy"), "npy_i64_scalar.npy differs");
    sg_nd_free(a);
    /* fortran_order True: transposed into C order */
    a = sg_nd_load_npy(GOLD "npy_f64_fortran.npy");
    CHECK_MSG(arr_is(a, SG_FLOAT64, 2, d23, w), "fortran: %s", a ? "wrong values" : sg_last_error());
    sg_nd_free(a);
    /* '>i4': byte-swapped */
    a = sg_nd_load_npy(GOLD "npy_i4_big.npy");
    CHECK_MSG(arr_is(a, SG_INT32, 1, d3, be), "big-endian: %s", a ? "wrong values" : sg_last_error());
    sg_nd_free(a);
    remove(TMPNPY);
}

/* Build an .npy with the given version and header text (no padding) + data. */
static void npy_build(bbuf *b, int major, const char *hdr, const void *data, size_t n) {
    size_t hl = strlen(hdr);
    b->n = 0;
    b_str(b, "\x93NUMPY");
    b_u8(b, (unsigned)major);
    b_u8(b, 0);
    if (major == 1) { b_u8(b, (unsigned)(hl & 0xff)); b_u8(b, (unsigned)(hl >> 8)); }
    else b_u32(b, (uint32_t)hl);
    b_str(b, hdr);
    b_raw(b, data, n);
}

SG_TEST(npy_header_variants) {
    bbuf *b = (bbuf *)malloc(sizeof(bbuf));
    int32_t i6[6] = {1, 2, 3, 4, 5, 6};
    unsigned char be8[16] = {0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0}; /* 1.0, -2.0 big-endian */
    unsigned char h2[4] = {0x3c, 0x00, 0xc0, 0x00}; /* '>f2': 1.0, -2.0 */
    int64_t d23[2] = {2, 3}, d2[1] = {2}, d6[1] = {6}, d234[3] = {2, 3, 4};
    double w6[6] = {1, 2, 3, 4, 5, 6}, w12[2] = {1, -2}, wf[6] = {1, 3, 5, 2, 4, 6};
    double w24[24];
    int32_t f24[24];
    int i, j, k;
    sg_ndarray *a;
    /* key order, double quotes, tabs and newlines, no trailing comma */
    npy_build(b, 1, "{\"shape\":\t(2,\n 3),  \"fortran_order\" :False,\"descr\": \"<i4\"}\n", i6, sizeof i6);
    wfile(TMPNPY, b->b, b->n);
    a = sg_nd_load_npy(TMPNPY);
    CHECK_MSG(arr_is(a, SG_INT32, 2, d23, w6), "%s", sg_last_error());
    sg_nd_free(a);
    /* no spaces, trailing commas, Python 2 long, version 2.0 */
    npy_build(b, 2, "{'descr':'<i4','fortran_order':False,'shape':(6L,),}", i6, sizeof i6);
    wfile(TMPNPY, b->b, b->n);
    a = sg_nd_load_npy(TMPNPY);
    CHECK_MSG(arr_is(a, SG_INT32, 1, d6, w6), "%s", sg_last_error());
    sg_nd_free(a);
    /* version 3.0, big-endian float64 */
    npy_build(b, 3, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", be8, sizeof be8);
    wfile(TMPNPY, b->b, b->n);
    a = sg_nd_load_npy(TMPNPY);
    CHECK_MSG(arr_is(a, SG_FLOAT64, 1, d2, w12), "%s", sg_last_error());
    sg_nd_free(a);
    npy_build(b, 1, "{'descr': '>f2', 'fortran_order': False, 'shape': (2,), }", h2, sizeof h2);
    wfile(TMPNPY, b->b, b->n);
    a = sg_nd_load_npy(TMPNPY);
    CHECK_MSG(arr_is(a, SG_FLOAT16, 1, d2, w12), "%s", sg_last_error());
    sg_nd_free(a);
    /* fortran_order True, 2-d and 3-d: element (i, j, k) is at i + 2j + 6k */
    npy_build(b, 1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", i6, sizeof i6);
    wfile(TMPNPY, b->b, b->n);
    a = sg_nd_load_npy(TMPNPY);
    CHECK_MSG(arr_is(a, SG_INT32, 2, d23, wf), "%s", sg_last_error());
    sg_nd_free(a);
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
            for (k = 0; k < 4; k++) {
                f24[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
                w24[(i * 3 + j) * 4 + k] = 100 * i + 10 * j + k;
            }
    npy_build(b, 1, "{'descr': 'i4', 'fortran_order': True, 'shape': (2, 3, 4)}", f24, sizeof f24);
    wfile(TMPNPY, b->b, b->n);
    a = sg_nd_load_npy(TMPNPY);
    CHECK_MSG(arr_is(a, SG_INT32, 3, d234, w24), "%s", sg_last_error());
    sg_nd_free(a);
    free(b);
    remove(TMPNPY);
}

SG_TEST(npy_corrupt) {
    bbuf *b = (bbuf *)malloc(sizeof(bbuf));
    float f2[2] = {1, 2};
    int64_t d[1] = {3};
    sg_ndarray *a;
    char *full;
    size_t len = 0, k;
    int failures = 0;
    NPY_ERR("tests/tmp_no_such.npy", "cannot open");
    npy_build(b, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", f2, sizeof f2);
    b->b[1] = 'M';
    NPYBUF_ERR(b, "not a .npy file");
    b->b[1] = 'N';
    b->b[6] = 4;
    NPYBUF_ERR(b, "version 4.0");
    b->b[6] = 1;
    b->b[7] = 1;
    NPYBUF_ERR(b, "version 1.1");
    b->b[7] = 0;
    b->b[8] = 0xff; b->b[9] = 0xff;
    NPYBUF_ERR(b, "HEADER_LEN 65535");
    npy_build(b, 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f2, sizeof f2);
    b->b[8] = 0xff; b->b[9] = 0xff; b->b[10] = 0xff; b->b[11] = 0xff;
    NPYBUF_ERR(b, "HEADER_LEN 4294967295");
#define HDR_ERR(h, sub) (npy_build(b, 1, h, f2, sizeof f2), NPYBUF_ERR(b, sub))
    HDR_ERR("{'descr': '<f4', 'fortran_order': False}", "missing key 'shape'");
    HDR_ERR("{'descr': '<f4', 'shape': (2,)}", "missing key 'fortran_order'");
    HDR_ERR("{'fortran_order': False, 'shape': (2,)}", "missing key 'descr'");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected key 'extra'");
    HDR_ERR("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", "duplicate key 'descr'");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "not a tuple");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "non-negative integers");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "tuple");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (2 2)}", "expected ',' or ')'");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "overflows");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1,1,2)}", "SG_MAX_NDIM");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", "shape entries");
    HDR_ERR("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "True or False");
    HDR_ERR("{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2,)}", "True or False");
    HDR_ERR("{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", "expected ',' or '}'");
    HDR_ERR("{'descr' '<f4', 'fortran_order': False, 'shape': (2,)}", "expected ':'");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x", "unterminated string");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", "unexpected text after the dict");
    HDR_ERR("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", "expected ',' or '}'");
    HDR_ERR("{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}", "descr '<c8' is not supported");
    HDR_ERR("{'descr': '<u2', 'fortran_order': False, 'shape': (2,)}", "descr '<u2'");
    HDR_ERR("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", "structured");
    HDR_ERR("['descr', '<f4']", "expected '{'");
    HDR_ERR("", "expected '{'");
    /* data length */
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}", "data is truncated: shape (3) '<f4'");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", "4 trailing bytes");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': (0,)}", "8 trailing bytes");
    HDR_ERR("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", "4 trailing bytes");
    HDR_ERR("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4)}", "truncated");
#undef HDR_ERR
    /* every truncation of a valid file */
    a = sg_nd_full(1, d, SG_INT64, -5);
    CHECK_INT(sg_nd_save_npy(TMPNPY, a), SG_OK);
    full = sg_t_read(TMPNPY, &len);
    CHECK_INT(len, 128 + 24);
    for (k = 0; full && k < len; k++) {
        wfile(TMPNPY, full, k);
        if (!NPY_ERR(TMPNPY, k < 128 ? "" : "truncated")) {
            failures++;
            printf("    at length %lu\n", (unsigned long)k);
            if (failures > 3) break;
        }
    }
    free(full);
    sg_nd_free(a);
    free(b);
    remove(TMPNPY);
}

int main(void) {
    SG_RUN(spec_example_save);
    SG_RUN(spec_example_load);
    SG_RUN(roundtrip_dtypes_shapes);
    SG_RUN(unnamed_and_empty_lists);
    SG_RUN(save_errors);
    SG_RUN(legacy_pre_v1);
    SG_RUN(v1_records);
    SG_RUN(v3_records);
    SG_RUN(every_truncation);
    SG_RUN(corrupt_list_level);
    SG_RUN(corrupt_records);
    SG_RUN(mxnet_golden_load);
    SG_RUN(mxnet_golden_save);
    SG_RUN(npy_spec_example);
    SG_RUN(npy_header_layout);
    SG_RUN(npy_roundtrip);
    SG_RUN(npy_golden);
    SG_RUN(npy_header_variants);
    SG_RUN(npy_corrupt);
    return SG_DONE("test_params");
}
