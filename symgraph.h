/* symgraph.h - v0.1 - Apache MXNet 1.x's Symbol API for plain C, in one header.
 *
 * WHAT IT IS
 *   A single-file, dependency-free (libc + libm) C99 library in the stb style that
 *   mirrors MXNet 1.9's symbolic graph API (mxnet.symbol): variables, operators,
 *   groups, composition, attributes, MXNet's automatic names, and the symbol JSON
 *   format, byte for byte as MXNet 1.9.1 writes it. Shape and dtype inference
 *   follow MXNet's rules; see the table of contents for what else is inside.
 *
 * HOW TO INCLUDE IT
 *   In exactly one C or C++ file:
 *       #define SYMGRAPH_IMPLEMENTATION
 *       #include "symgraph.h"
 *   Everywhere else just #include "symgraph.h". Link with -lm.
 *
 * QUICK START
 *       sg_graph *g = sg_graph_create();
 *       sg_symbol *A = sg_variable(g, "A"), *B = sg_variable(g, "B");
 *       sg_symbol *C = sg_variable(g, "C"), *D = sg_variable(g, "D");
 *       sg_symbol *ab = sg_mul(g, A, B);            // _mul0 (build in order:
 *       sg_symbol *cd = sg_mul(g, C, D);            // C leaves argument order open)
 *       sg_symbol *e = sg_add(g, ab, cd);           // _plus0
 *       if (!e) { fprintf(stderr, "%s\n", sg_graph_error(g)); }
 *       const char *const *names; int n;
 *       sg_list_arguments(g, e, &names, &n);        // A B C D
 *       sg_save(g, e, "abcd-symbol.json");          // MXNet-compatible JSON
 *       sg_graph_free(g);                           // frees every node and symbol
 *
 *   Any operator by its MXNet name, with MXNet's string parameters:
 *       sg_symbol *fc1 = sg_op(g, "FullyConnected", "fc1",
 *                              SG_KV("num_hidden", "128"), 1, &data, NULL);
 *       // arguments: data, fc1_weight, fc1_bias (created as MXNet creates them)
 *
 * CONVENTIONS
 *   - Every object made in an sg_graph belongs to it; sg_graph_free releases all.
 *     Strings and arrays returned by list/attr calls are owned by the graph and
 *     stay valid until the graph is freed.
 *   - Functions returning sg_symbol* return NULL on error; functions returning
 *     int return SG_OK (0) or a negative sg_status. Either way sg_graph_error()
 *     holds a message that names the node, the operator and the values. A NULL
 *     symbol passed as an input makes the call fail with the earlier error kept,
 *     so expressions can be chained and checked once at the end.
 *   - Key/value lists (parameters, attributes) are NULL-terminated arrays of
 *     alternating keys and values: SG_KV("kernel", "(3, 3)", "num_filter", "8").
 *   - Shapes: sg_shape.ndim == -1 means an unknown shape and a dim of -1 an unknown
 *     dim (MXNet's internal convention). Shapes given to inference may use 0 for
 *     an unknown dim, as MXNet's Python front end does.
 *
 * OPTIONS (define before including the implementation)
 *   SYMGRAPH_MALLOC(sz), SYMGRAPH_REALLOC(p,sz), SYMGRAPH_FREE(p)
 *                      allocator (default malloc/realloc/free)
 *   SYMGRAPH_ASSERT(x) internal invariant checks (default assert); never used
 *                      for input validation, which always returns an error.
 *   SYMGRAPH_STATIC    make every function static (private to one file)
 *   SYMGRAPH_MAX_JSON_DEPTH   nesting limit of the JSON reader (default 64)
 *   SYMGRAPH_MAX_THREADS      most GEMM threads (default 8, at most 32); the
 *                      executor's GEMM workspace holds that many packing slices
 *   SYMGRAPH_GEMM_NO_DISPATCH no CPUID dispatch (embedded builds): only the GEMM
 *                      kernels the compile flags enable (-mavx2 -mfma, -mavx512f)
 *                      are built; the portable kernel otherwise
 *   SYMGRAPH_PTHREADS  GEMM threads (and the batch split of Convolution, the
 *                      range split of Activation, Pooling and BatchNorm) from
 *                      a small internal pthread pool (link -pthread) when not
 *                      built with -fopenmp
 *   SYMGRAPH_USE_CBLAS sg_sgemm, the executor's GEMMs and sg_dgemm call an
 *                      external cblas_sgemm/cblas_dgemm (<cblas.h>; link one)
 *
 * TABLE OF CONTENTS (implementation sections, in order)
 *   1. Utilities            strings, dynamic arrays, errors, number formatting
 *   2. JSON                 reader (DOM with line/column errors) and dmlc writer
 *   3. Graph and symbols    nodes, naming, attribute scopes, compose, listings,
 *                           symbol JSON save/load with MXNet's legacy upgrade
 *   4. Operator registry    parameter schema and parsing, every operator
 *   5. Inference            shape and dtype inference passes
 *   6. NDArray              arrays, dtype conversion, seeded random numbers
 *   7. GEMM                 the one GEMM entry point: naive and blocked
 *   8. Executor             bind, memory plan, forward, backward
 *   8b. Training            optimizer updates, initializers, data iterator, module
 *   9. Parameter files      .params (MXNet NDArray lists) and .npy
 *   10. Visualization       print_summary and plot_network (Graphviz DOT)
 *
 * WHAT WORKS TODAY: see README.md.
 *
 * LICENSE: MIT, see the end of this file.
 */
#ifndef SYMGRAPH_H
#define SYMGRAPH_H

#include <stddef.h>
#include <stdint.h>

#ifdef SYMGRAPH_STATIC
#if defined(__GNUC__) || defined(__clang__)
#define SGDEF static __attribute__((unused))
#else
#define SGDEF static
#endif
#else
#ifdef __cplusplus
#define SGDEF extern "C"
#else
#define SGDEF extern
#endif
#endif

#define SYMGRAPH_VERSION 10901 /* the MXNet version whose behaviour and JSON we follow */
#define SG_MAX_NDIM 10         /* the most dims a shape can have */

/* A NULL-terminated key/value list literal (C99 compound literal / C++ array). */
#ifdef __cplusplus
#define SG_KV(...) (sg__kvlit{{__VA_ARGS__, NULL}}.v)
struct sg__kvlit { const char *v[64]; };
#else
#define SG_KV(...) ((const char *const[]){__VA_ARGS__, NULL})
#endif

/* Status codes. Every int-returning function returns one of these. */
typedef enum sg_status {
    SG_OK = 0,
    SG_ERR_ARG = -1,        /* bad argument to an API call (NULL, wrong graph, range) */
    SG_ERR_PARSE = -2,      /* malformed JSON or file */
    SG_ERR_UNKNOWN_OP = -3, /* operator name not registered */
    SG_ERR_PARAM = -4,      /* unknown parameter or bad parameter value */
    SG_ERR_SHAPE = -5,      /* shape inconsistency */
    SG_ERR_TYPE = -6,       /* dtype inconsistency */
    SG_ERR_NOMEM = -7,      /* allocation failed */
    SG_ERR_IO = -8,         /* file could not be read or written */
    SG_ERR_GRAPH = -9,      /* invalid graph: cycle, dangling entry, bad input count */
    SG_ERR_OVERFLOW = -10,  /* size computation would overflow */
    SG_ERR_UNSUPPORTED = -11, /* valid request that this build cannot do */
    SG_ERR_INCOMPLETE = -12 /* inference could not decide every shape/dtype */
} sg_status;

/* MXNet dtype codes (mshadow TypeFlag). */
typedef enum sg_dtype {
    SG_DTYPE_UNKNOWN = -1,
    SG_FLOAT32 = 0, SG_FLOAT64 = 1, SG_FLOAT16 = 2, SG_UINT8 = 3,
    SG_INT32 = 4, SG_INT8 = 5, SG_INT64 = 6, SG_BOOL = 7, SG_BFLOAT16 = 12
} sg_dtype;

/* A tensor shape. ndim -1: unknown shape; dims[i] -1: unknown dim. 64-bit dims. */
typedef struct sg_shape {
    int ndim;
    int64_t dims[SG_MAX_NDIM];
} sg_shape;

typedef struct sg_graph sg_graph;   /* owns every node, symbol and string made in it */
typedef struct sg_symbol sg_symbol; /* a list of output entries (heads) of a graph */

/* ---------------------------------------------------------------- graph ---- */

/* Create an empty graph. Returns NULL only if allocation fails. Free with
 * sg_graph_free. One graph is one MXNet process state: its own NameManager
 * counters and AttrScope stack. Not thread-safe; use one graph per thread. */
SGDEF sg_graph *sg_graph_create(void);
/* Free the graph and everything made in it (nodes, symbols, returned lists). NULL is ok. */
SGDEF void sg_graph_free(sg_graph *g);
/* The message of the last error in this graph ("" if none). Owned by the graph. */
SGDEF const char *sg_graph_error(const sg_graph *g);
/* The sg_status of the last error (SG_OK if none), and clearing it. */
SGDEF int sg_graph_status(const sg_graph *g);
SGDEF void sg_graph_clear_error(sg_graph *g);
/* How node_row_ptr counts max-Pooling outputs when writing JSON: 1 (default) as
 * the official pip MXNet 1.9.1 (an MKLDNN/oneDNN build) writes 2 for max pooling
 * with a 1-3 dim kernel; 0 as a non-MKLDNN build writes 1. Loaders ignore it. */
SGDEF void sg_graph_set_mkldnn_rows(sg_graph *g, int on);

/* Naming, mirror of mx.name.NameManager / mx.name.Prefix. Push a fresh
 * NameManager (counters start at 0) whose names all get `prefix` (NULL or "" for
 * none, i.e. a plain NameManager); pop restores the previous one. */
SGDEF int sg_name_push(sg_graph *g, const char *prefix);
SGDEF int sg_name_pop(sg_graph *g);

/* Attribute scope, mirror of mx.AttrScope(**kv): every variable and operator
 * made while it is pushed gets these attributes (explicit ones win). Nested
 * scopes merge with the outer one, the inner winning. */
SGDEF int sg_attr_scope_push(sg_graph *g, const char *const *kv);
SGDEF int sg_attr_scope_pop(sg_graph *g);

/* ------------------------------------------------------------- symbols ---- */

/* Variable options, mirror of mx.sym.Variable's keyword arguments. Zero-initialise
 * and set what you need. Strings are stored verbatim, as Python's str(v) would be. */
typedef struct sg_var_opts {
    int shape_ndim;          /* > 0: store __shape__ from shape (0 = unknown dim) */
    const int64_t *shape;
    const char *lr_mult;     /* __lr_mult__, e.g. "0.5" */
    const char *wd_mult;     /* __wd_mult__ */
    const char *dtype;       /* "float32", "int32", ... stored as the code: __dtype__ "0" */
    const char *init;        /* __init__, e.g. "[\"zero\", {}]" */
    const char *stype;       /* "default" | "row_sparse" | "csr" -> __storage_type__ */
    const char *const *attr; /* user attributes (kv list); hidden keys become __key__ */
} sg_var_opts;

/* mx.sym.Variable(name). The name is required (never automatic). */
SGDEF sg_symbol *sg_variable(sg_graph *g, const char *name);
SGDEF sg_symbol *sg_variable_ex(sg_graph *g, const char *name, const sg_var_opts *opts);

/* Create operator `op` (its MXNet name or an alias, e.g. "FullyConnected",
 * "Softmax", "_Plus") and compose it with its inputs, as mx.sym.<op>(...) does.
 *   name     node name; NULL or "" for an automatic one (NameManager, hint = op
 *            name lower-cased: "fullyconnected0").
 *   params   operator parameters (kv list of MXNet strings, e.g. "kernel", "(3, 3)").
 *            Unknown keys and bad values are errors naming node, key and value.
 *            Keys starting with a hidden key (lr_mult, wd_mult, ctx_group,
 *            force_mirroring, mirror_stage) are stored as "__key__".
 *   inputs   ninputs symbols (each with one output). input_names NULL: positional,
 *            in the operator's input order; else each input's name ("data",
 *            "weight", ...). A NULL input is "not given". Inputs not given are
 *            created as variables named <node>_<input> (fc1_weight), carrying a
 *            copy of the node's attributes, exactly as MXNet does.
 * sg_op_ex adds user attributes `attr` (kv list, like Python's attr={...}); they
 * are kept apart from parameters (a key equal to a parameter name is an error). */
SGDEF sg_symbol *sg_op(sg_graph *g, const char *op, const char *name, const char *const *params,
                       int ninputs, sg_symbol *const *inputs, const char *const *input_names);
SGDEF sg_symbol *sg_op_ex(sg_graph *g, const char *op, const char *name, const char *const *params,
                          const char *const *attr, int ninputs, sg_symbol *const *inputs,
                          const char *const *input_names);

/* Compose, mirror of Symbol.__call__: a deep copy of `s` in which each variable
 * named keys[i] is replaced by args[i] (keyword composition). `name` (may be
 * NULL) renames the head node. A key that names no variable is an error. If s is
 * an atomic symbol (from sg_op_atomic), composes it like sg_op does. */
SGDEF sg_symbol *sg_compose(sg_graph *g, const sg_symbol *s, const char *name, int nargs,
                            const char *const *keys, sg_symbol *const *args);
/* An operator node with no inputs yet (MXSymbolCreateAtomicSymbol). */
SGDEF sg_symbol *sg_op_atomic(sg_graph *g, const char *op, const char *const *params,
                              const char *const *attr);

/* Symbol arithmetic, as Python's operators on Symbols (names _plus0, _mul1, ...). */
SGDEF sg_symbol *sg_add(sg_graph *g, sg_symbol *a, sg_symbol *b); /* elemwise_add  */
SGDEF sg_symbol *sg_sub(sg_graph *g, sg_symbol *a, sg_symbol *b); /* elemwise_sub  */
SGDEF sg_symbol *sg_mul(sg_graph *g, sg_symbol *a, sg_symbol *b); /* elemwise_mul  */
SGDEF sg_symbol *sg_div(sg_graph *g, sg_symbol *a, sg_symbol *b); /* elemwise_div  */
SGDEF sg_symbol *sg_pow(sg_graph *g, sg_symbol *a, sg_symbol *b); /* _power        */
/* Scalar forms: `scalar` is the Python literal as text ("1", "0.5", "-1.0"),
 * stored verbatim, as str(v) is in MXNet. a+s, a-s, s-a, a*s, a/s, s/a, a**s, s**a. */
SGDEF sg_symbol *sg_add_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_sub_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_rsub_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_mul_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_div_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_rdiv_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_pow_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_rpow_scalar(sg_graph *g, sg_symbol *a, const char *scalar);
SGDEF sg_symbol *sg_negative(sg_graph *g, sg_symbol *a); /* -a: _mul_scalar "-1.0" */
/* Format a double as Python's repr(float) does ("1.0", "0.5", "1e-05"), for the
 * scalar functions. buf needs 32 bytes. Returns buf. */
SGDEF char *sg_format_float(char *buf, double v);

/* Typed constructors for common operators (name may be NULL for automatic). */
SGDEF sg_symbol *sg_fully_connected(sg_graph *g, const char *name, sg_symbol *data, int num_hidden);
SGDEF sg_symbol *sg_activation(sg_graph *g, const char *name, sg_symbol *data, const char *act_type);
SGDEF sg_symbol *sg_convolution(sg_graph *g, const char *name, sg_symbol *data, int kernel_h, int kernel_w,
                                int num_filter, int stride, int pad);
SGDEF sg_symbol *sg_pooling(sg_graph *g, const char *name, sg_symbol *data, const char *pool_type,
                            int kernel, int stride);
SGDEF sg_symbol *sg_batch_norm(sg_graph *g, const char *name, sg_symbol *data);
SGDEF sg_symbol *sg_flatten(sg_graph *g, const char *name, sg_symbol *data);
SGDEF sg_symbol *sg_dropout(sg_graph *g, const char *name, sg_symbol *data, const char *p);
SGDEF sg_symbol *sg_softmax_output(sg_graph *g, const char *name, sg_symbol *data, sg_symbol *label);
SGDEF sg_symbol *sg_linear_regression_output(sg_graph *g, const char *name, sg_symbol *data, sg_symbol *label);
SGDEF sg_symbol *sg_concat(sg_graph *g, const char *name, int n, sg_symbol *const *inputs, int dim);
SGDEF sg_symbol *sg_cast(sg_graph *g, const char *name, sg_symbol *data, const char *dtype);

/* Group (mx.sym.Group): the heads of all n symbols, in order. */
SGDEF sg_symbol *sg_group(sg_graph *g, int n, sg_symbol *const *syms);
/* get_internals(): every variable and every visible output, in DFS order. */
SGDEF sg_symbol *sg_get_internals(sg_graph *g, const sg_symbol *s);
/* get_children(): the inputs of the head nodes; NULL with SG_OK status if none
 * (Python's None; sg_graph_status tells it apart from an error). */
SGDEF sg_symbol *sg_get_children(sg_graph *g, const sg_symbol *s);
/* s[i] and s['name']: one output by index or by its list_outputs() name. */
SGDEF sg_symbol *sg_get_output(sg_graph *g, const sg_symbol *s, int index);
SGDEF sg_symbol *sg_get_output_by_name(sg_graph *g, const sg_symbol *s, const char *name);
/* copy.deepcopy(s): a deep copy of every node reachable from s. */
SGDEF sg_symbol *sg_copy(sg_graph *g, const sg_symbol *s);
/* len(s): the number of outputs (heads). */
SGDEF int sg_num_outputs(const sg_symbol *s);
/* s.name: the head node's name, or NULL for a group of several nodes. */
SGDEF const char *sg_symbol_name(const sg_symbol *s);

/* Listings, mirrors of list_arguments / list_outputs / list_auxiliary_states /
 * list_inputs. *names receives an array of *n strings owned by the graph. */
SGDEF int sg_list_arguments(sg_graph *g, const sg_symbol *s, const char *const **names, int *n);
SGDEF int sg_list_outputs(sg_graph *g, const sg_symbol *s, const char *const **names, int *n);
SGDEF int sg_list_auxiliary_states(sg_graph *g, const sg_symbol *s, const char *const **names, int *n);
SGDEF int sg_list_inputs(sg_graph *g, const sg_symbol *s, const char *const **names, int *n);

/* Attributes. sg_attr: value of `key` on the head node (hidden keys fall back to
 * __key__; "name" gives the node name); returns 1 and sets *value if found, 0 if
 * not (Python's None, also for groups), or a negative status. */
SGDEF int sg_attr(sg_graph *g, const sg_symbol *s, const char *key, const char **value);
/* Symbol._set_attr on the head node (not for groups). Hidden keys become __key__. */
SGDEF int sg_set_attr(sg_graph *g, sg_symbol *s, const char *key, const char *value);
/* list_attr(): the head node's dict, parameters included, plus for each __hidden__
 * key its stripped form. recursive != 0: every node's user attributes (operator
 * parameters, and their copies on automatically created inputs, left out) in DFS
 * order with keys "<node>_<key>": MXNet 0.8's recursive listing (data_mood,
 * conv_weight_mood) that 1.9 dropped; use sg_attr_dict for 1.9's full form.
 * *kv receives 2*(*n) strings: key, value, key, value... */
SGDEF int sg_list_attr(sg_graph *g, const sg_symbol *s, int recursive, const char *const **kv, int *n);
/* attr_dict(): for every node with a non-empty dict, triples node, key, value
 * (MXNet 1.9's node$key listing split on '$'). *t receives 3*(*n) strings. */
SGDEF int sg_attr_dict(sg_graph *g, const sg_symbol *s, const char *const **t, int *n);

/* ---------------------------------------------------------------- JSON ---- */

/* tojson(): the JSON text MXNet 1.9.1 writes for this symbol, byte for byte (no
 * trailing newline). *json is owned by the graph (valid until the next sg_tojson
 * on this graph). */
SGDEF int sg_tojson(sg_graph *g, const sg_symbol *s, const char **json);
/* save(fname): write tojson() text to a file. */
SGDEF int sg_save(sg_graph *g, const sg_symbol *s, const char *path);
/* load_json(text) / load(fname): parse MXNet JSON (0.8 legacy through 1.x) into
 * g, upgrading old layouts as MXNet 1.9 does. NULL on error, with a message
 * giving line and column or the offending node. len may be (size_t)-1 for a
 * NUL-terminated string. */
SGDEF sg_symbol *sg_load_json(sg_graph *g, const char *json, size_t len);
SGDEF sg_symbol *sg_load(sg_graph *g, const char *path);

/* ----------------------------------------------------------- inference ---- */

/* Shape inference, mirror of infer_shape / infer_shape_partial.
 *   given: nshapes (name, shape) pairs naming arguments (0 or -1 = unknown dim);
 *          an unknown name is an error.
 *   arg/out/aux: arrays the caller provides with list_arguments / list_outputs /
 *          list_auxiliary_states lengths (may be NULL), filled in list order.
 *   partial: 0 = complete inference, SG_ERR_INCOMPLETE (with a message listing
 *          the undecided arguments) when something stays unknown; 1 = partial,
 *          unknowns left as -1.
 * A mismatch is SG_ERR_SHAPE with "Error in operator <node> (<op>): ... input
 * <name> ... provided [a,b], inferred [c,d]". */
SGDEF int sg_infer_shape(sg_graph *g, const sg_symbol *s, int nshapes, const char *const *names,
                         const sg_shape *shapes, int partial, sg_shape *arg, sg_shape *out, sg_shape *aux);
/* dtype inference, mirror of infer_type / infer_type_partial, with sg_dtype codes
 * (SG_DTYPE_UNKNOWN for unknown). Same conventions as sg_infer_shape. */
SGDEF int sg_infer_type(sg_graph *g, const sg_symbol *s, int ntypes, const char *const *names,
                        const int *dtypes, int partial, int *arg, int *out, int *aux);

/* -------------------------------------------------------------- helpers ---- */

/* dtype code <-> numpy name ("float32"); -1 / NULL when unknown. */
SGDEF int sg_dtype_from_name(const char *name);
SGDEF const char *sg_dtype_name(int dtype);
/* Size in bytes of one element of dtype, 0 if unknown. */
SGDEF size_t sg_dtype_size(int dtype);
/* Number of elements of a known shape into *count; SG_ERR_OVERFLOW if it does
 * not fit in int64, SG_ERR_ARG if unknown. */
SGDEF int sg_shape_size(const sg_shape *s, int64_t *count);
/* Print a shape as MXNet 1.9 prints it in messages: "[2,3]" ("[-1,3]", "[]" unknown). */
SGDEF char *sg_shape_str(const sg_shape *s, char *buf, size_t bufsz);
/* Whether an operator (or alias) is registered, and the list of canonical names. */
SGDEF int sg_op_exists(const char *op);
SGDEF int sg_op_count(void);
SGDEF const char *sg_op_name(int i);

/* ------------------------------------------------------------- NDArray ---- */

/* A dense, row-major (C order) n-d array on a device (SG_CPU for now).
 * Fields are public for reading; use the functions to create and free. */
enum { SG_CPU = 1, SG_GPU = 2 }; /* MXNet's dev_type codes */
typedef struct sg_ndarray {
    int dtype;       /* sg_dtype */
    sg_shape shape;  /* always known (no -1) */
    int64_t size;    /* number of elements */
    size_t nbytes;   /* size * element size */
    void *data;      /* contiguous elements; NULL only when size == 0 */
    int owns;        /* 1: data is freed by sg_nd_free */
    int dev_type;    /* SG_CPU (1) or SG_GPU (2) */
    int dev_id;
} sg_ndarray;

/* The message of the last failed NDArray / GEMM / file call of this thread
 * ("" if none). Calls that have a graph or executor report there too. */
SGDEF const char *sg_last_error(void);

/* Create an array of the given shape (ndim 0..SG_MAX_NDIM, dims >= 0) and dtype,
 * filled with zeros / ones / value. NULL on a bad shape, an unknown dtype, a size
 * that overflows, or failed allocation (see sg_last_error). Free with sg_nd_free. */
SGDEF sg_ndarray *sg_nd_zeros(int ndim, const int64_t *dims, int dtype);
SGDEF sg_ndarray *sg_nd_ones(int ndim, const int64_t *dims, int dtype);
SGDEF sg_ndarray *sg_nd_full(int ndim, const int64_t *dims, int dtype, double value);
/* Wrap caller memory without copying (owns = 0): the caller keeps data alive
 * for the array's lifetime and frees it after sg_nd_free. */
SGDEF sg_ndarray *sg_nd_from_data(int ndim, const int64_t *dims, int dtype, void *data);
/* From a sg_shape (known) instead of ndim + dims. */
SGDEF sg_ndarray *sg_nd_zeros_shape(const sg_shape *shape, int dtype);
/* A new owning copy of a (same shape and dtype). */
SGDEF sg_ndarray *sg_nd_copy(const sg_ndarray *a);
/* Copy src into dst (same element count), converting dtype as C casts do. */
SGDEF int sg_nd_copy_to(const sg_ndarray *src, sg_ndarray *dst);
/* Free the array (and its data if it owns it). NULL is ok. */
SGDEF void sg_nd_free(sg_ndarray *a);
/* Fill with a value; get or set element i (flat, row-major) as double. */
SGDEF int sg_nd_fill(sg_ndarray *a, double value);
SGDEF double sg_nd_get(const sg_ndarray *a, int64_t i);
SGDEF int sg_nd_set(sg_ndarray *a, int64_t i, double value);

/* A small seeded random generator, the same numbers on every platform
 * (xoshiro256** seeded by splitmix64; uniforms from the top 24 / 53 bits,
 * normals by Box-Muller in double). */
typedef struct sg_rng { uint64_t s[4]; double spare; int has_spare; } sg_rng;
SGDEF void sg_rng_seed(sg_rng *r, uint64_t seed);
SGDEF uint64_t sg_rng_next(sg_rng *r);
SGDEF double sg_rng_uniform(sg_rng *r); /* [0, 1) */
SGDEF double sg_rng_normal(sg_rng *r);  /* mean 0, std 1 */
/* Fill a with U(lo, hi) or N(mean, std) (mx.nd.random.uniform / normal). */
SGDEF int sg_nd_random_uniform(sg_ndarray *a, double lo, double hi, sg_rng *r);
SGDEF int sg_nd_random_normal(sg_ndarray *a, double mean, double std, sg_rng *r);

/* MXNet's NDArray list file (.params): save n arrays with names (names may be
 * NULL for an unnamed list, as mx.nd.save of a list), load them back. Loading
 * reads the V1, V2 and V3 records and the pre-V1 legacy layout; sparse records
 * and corrupt or truncated files are errors. sg_nd_load gives *n arrays in
 * *arrays and, when the file has names, *names (else *names is NULL); free
 * them with sg_nd_list_free. Mirrors mx.nd.save / mx.nd.load. */
SGDEF int sg_nd_save(const char *path, int n, sg_ndarray *const *arrays, const char *const *names);
SGDEF int sg_nd_load(const char *path, int *n, sg_ndarray ***arrays, char ***names);
SGDEF void sg_nd_list_free(int n, sg_ndarray **arrays, char **names);
/* NumPy .npy (version 1.0 to write; 1.0, 2.0 and 3.0 to read), C order. */
SGDEF int sg_nd_save_npy(const char *path, const sg_ndarray *a);
SGDEF sg_ndarray *sg_nd_load_npy(const char *path);

/* ---------------------------------------------------------------- GEMM ---- */

/* C = alpha * op(A) * op(B) + beta * C, float32, row-major. op(A) is M x K
 * (A is K x M when ta), op(B) is K x N (B is N x K when tb); lda, ldb, ldc are
 * row strides in elements. beta == 0 overwrites C (NaNs in C are not read).
 * The one GEMM entry point of the library; impl selects the implementation. */
enum { SG_GEMM_AUTO = 0, SG_GEMM_NAIVE = 1, SG_GEMM_BLOCKED = 2 };
SGDEF void sg_sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda, const float *B,
                    int ldb, float beta, float *C, int ldc);
SGDEF void sg_sgemm_impl(int impl, int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                         const float *B, int ldb, float beta, float *C, int ldc);
/* The same in float64 (naive loop order, for float64 dot). */
SGDEF void sg_dgemm(int ta, int tb, int M, int N, int K, double alpha, const double *A, int lda, const double *B,
                    int ldb, double beta, double *C, int ldc);

/* The CPU micro-kernel families of the blocked GEMM. AUTO: the best this CPU
 * and build run (AVX-512, else AVX2+FMA, else the portable one). */
enum { SG_GEMM_KERNEL_AUTO = 0, SG_GEMM_KERNEL_GENERIC = 1, SG_GEMM_KERNEL_AVX2 = 2, SG_GEMM_KERNEL_AVX512 = 3 };
/* Force the kernel family of every later float32 GEMM (process-wide; not to be
 * changed while another thread runs a GEMM). SG_GEMM_KERNEL_AUTO restores the
 * CPUID choice. Returns SG_OK, SG_ERR_ARG for an unknown code, or
 * SG_ERR_UNSUPPORTED when the family is not built in (non-x86, old compiler,
 * SYMGRAPH_GEMM_NO_DISPATCH without the -m flag) or the CPU/OS lacks it (then
 * the selection is unchanged); sg_last_error() says which. No MXNet
 * counterpart (MXNet delegates to its BLAS). */
SGDEF int sg_gemm_set_kernel(int kernel);
/* The kernel family sg_sgemm runs now: "avx512", "avx2", "generic", or "cblas"
 * when built with SYMGRAPH_USE_CBLAS. A static string. */
SGDEF const char *sg_gemm_kernel_name(void);
/* Threads for one float32 GEMM (process-wide). n <= 0 restores the default:
 * omp_get_max_threads() under -fopenmp (so OMP_NUM_THREADS applies), the
 * online CPU count with SYMGRAPH_PTHREADS; both capped at SYMGRAPH_MAX_THREADS
 * (default 8), as is n. Returns the count now in force, which is always 1 in a
 * build without -fopenmp or SYMGRAPH_PTHREADS. Products under about 0.4 MFLOP
 * and calls made inside an OpenMP parallel region run on one thread whatever
 * the setting. The executor's float32 Convolution splits a batch of N images
 * into min(n, N) parts instead (one GEMM thread each), for the thread count in
 * force at bind time or fewer: its workspace, planned at bind, grows by one
 * column matrix and one weight-sized buffer per extra thread. Its output and
 * data gradient are the same bits for every thread count; its weight gradient
 * is summed per part, so it can differ by float rounding. Activation, Pooling
 * and BatchNorm (forward and backward, both dtypes) split their elements,
 * (n, c) planes or channels into one contiguous range per thread when a call
 * touches at least 65536 elements; their results are the same bits for every
 * thread count. Mirrors what MXNet's OMP_NUM_THREADS / MXNET_OMP_MAX_THREADS
 * do for its CPU operators. */
SGDEF int sg_set_num_threads(int n);
/* The count sg_set_num_threads set (or the default described there). */
SGDEF int sg_get_num_threads(void);

/* ------------------------------------------------------------ executor ---- */

typedef struct sg_executor sg_executor;
/* grad_req codes, as MXNet's OpReqType: null 0, write 1, add 3. */
enum { SG_REQ_NULL = 0, SG_REQ_WRITE = 1, SG_REQ_INPLACE = 2, SG_REQ_ADD = 3 };

/* What to bind (mirror of Symbol.bind's arguments). Zero-initialise, then set:
 *   args       nargs arrays: by position in list_arguments() order when
 *              arg_names is NULL (nargs must equal the argument count), else
 *              by name (every argument must be named). Borrowed: the caller
 *              keeps them alive until sg_executor_free.
 *   grads      ngrads gradient arrays (by position, or by grad_names); missing
 *              or NULL entries mean grad_req null for that argument.
 *   grad_req   per argument in list_arguments() order (SG_REQ_*), or NULL:
 *              write for every argument that has a gradient array.
 *   aux        the auxiliary states, by position or aux_names; all required.
 *   buffer     optional caller memory of buffer_size bytes (see sg_bind_bytes)
 *              that holds every internal array: forward and backward then
 *              allocate nothing. NULL: the executor allocates one arena.
 *   no_plan    1: one buffer per entry (no memory sharing); results are the same. */
typedef struct sg_bind_desc {
    int nargs;
    const char *const *arg_names;
    sg_ndarray *const *args;
    int ngrads;
    const char *const *grad_names;
    sg_ndarray *const *grads;
    const int *grad_req;
    int naux;
    const char *const *aux_names;
    sg_ndarray *const *aux;
    void *buffer;
    size_t buffer_size;
    int no_plan;
} sg_bind_desc;

/* Symbol.bind(ctx, args, args_grad, grad_req, aux_states). dev_type SG_CPU
 * (SG_GPU needs symgraph_cuda.cu). Infers every shape and dtype from the bound
 * arrays; a missing argument, a wrong shape or dtype, or a missing aux state is
 * an error naming it. *out must be freed with sg_executor_free. */
SGDEF int sg_bind(sg_graph *g, const sg_symbol *s, int dev_type, const sg_bind_desc *d, sg_executor **out);
/* Bytes of internal memory (the buffer of sg_bind_desc) such a bind needs. */
SGDEF int sg_bind_bytes(sg_graph *g, const sg_symbol *s, int dev_type, const sg_bind_desc *d, size_t *bytes);
/* Symbol.simple_bind(ctx, grad_req, type_dict, **shapes): infers all shapes from
 * the given ones, allocates zero-filled arguments, gradients (grad_req applies
 * to every argument, data and labels included; SG_REQ_NULL allocates none) and
 * aux states. dtypes: NULL (every argument without a __dtype__ is float32), or
 * one per name (type_dict): the other arguments take the dtypes that inference
 * gives them from these (float64 data makes an RNN's parameters float64, as in
 * MXNet), and float32 where it gives none. */
SGDEF int sg_simple_bind(sg_graph *g, const sg_symbol *s, int dev_type, int nshapes, const char *const *names,
                         const sg_shape *shapes, const int *dtypes, int grad_req, sg_executor **out);
/* simple_bind with grad_req as a dict: grad_req for every argument but those
 * named in null_grad (NULL-terminated; NULL: none), which get null (no
 * gradient array), as Module binds its data and labels for training. */
SGDEF int sg_simple_bind_ex(sg_graph *g, const sg_symbol *s, int dev_type, int nshapes, const char *const *names,
                            const sg_shape *shapes, const int *dtypes, int grad_req, const char *const *null_grad,
                            sg_executor **out);
/* Symbol.eval(**kwargs): bind the named arrays, run forward, and return copies
 * of the outputs in *outs (*nout arrays; free each with sg_nd_free, then free
 * the array of pointers with free / SYMGRAPH_FREE). */
SGDEF int sg_eval(sg_graph *g, const sg_symbol *s, int n, const char *const *names, sg_ndarray *const *arrays,
                  sg_ndarray ***outs, int *nout);

/* Executor.forward(is_train): runs the graph; outputs are then valid. */
SGDEF int sg_forward(sg_executor *ex, int is_train);
/* Executor.backward(out_grads): out_grads in list_outputs() order (n may be 0
 * when every head is a loss: SoftmaxOutput, *RegressionOutput, MakeLoss,
 * BlockGrad). Another head without an out_grad is an error naming it. Gradients
 * go to the grad arrays per grad_req; BatchNorm's moving statistics are
 * updated here, as on MXNet's CPU. */
SGDEF int sg_backward(sg_executor *ex, int n, sg_ndarray *const *out_grads);
/* Executor.outputs: *outs = the output arrays (one per head, list_outputs()
 * order; *n of them), owned by the executor and valid until it is freed or
 * reshaped. SG_ERR_ARG on a NULL argument, with *outs = NULL and *n = 0. */
SGDEF int sg_executor_outputs(sg_executor *ex, sg_ndarray *const **outs, int *n);
/* arg_dict / grad_dict / aux_dict / output_dict lookups by name (NULL if absent;
 * a gradient is NULL when its grad_req is null). Owned by the executor or by
 * the caller who bound them. */
SGDEF sg_ndarray *sg_executor_arg(sg_executor *ex, const char *name);
SGDEF sg_ndarray *sg_executor_grad(sg_executor *ex, const char *name);
SGDEF sg_ndarray *sg_executor_aux(sg_executor *ex, const char *name);
SGDEF sg_ndarray *sg_executor_output(sg_executor *ex, const char *name);
/* arg_arrays / grad_arrays / aux_arrays (which = SG_ARGS / SG_GRADS / SG_AUX) in
 * list order, owned as above (a gradient entry is NULL when its grad_req is
 * null). SG_ERR_ARG on a NULL argument or another `which`, with *arrays = NULL
 * and *n = 0. */
SGDEF int sg_executor_arrays(sg_executor *ex, int which, sg_ndarray *const **arrays, int *n);
enum { SG_ARGS = 0, SG_GRADS = 1, SG_AUX = 2 };
/* Executor.reshape(partial_shaping, allow_up_sizing, **shapes): a new executor for
 * new input shapes that shares the parameter arrays (same shapes) with ex. */
SGDEF int sg_executor_reshape(sg_executor *ex, int nshapes, const char *const *names, const sg_shape *shapes,
                              int partial_shaping, int allow_up_sizing, sg_executor **out);
/* copy_params_from(arg_params, aux_params, allow_extra_params): copy arrays by
 * name ("arg:" / "aux:" prefixes are accepted), casting dtype. */
SGDEF int sg_executor_copy_params(sg_executor *ex, int n, const char *const *names, sg_ndarray *const *arrays,
                                  int allow_extra);
/* Memory of the plan: bytes with planning and with one buffer per entry. */
SGDEF int sg_executor_memory(const sg_executor *ex, size_t *planned, size_t *unplanned);
/* The seed of the executor's generator (Dropout masks); the default is 0. */
SGDEF void sg_executor_seed(sg_executor *ex, uint64_t seed);
/* GEMM implementation used by this executor (SG_GEMM_*). */
SGDEF void sg_executor_set_gemm(sg_executor *ex, int impl);
/* The last error of this executor ("" if none). */
SGDEF const char *sg_executor_error(const sg_executor *ex);
SGDEF void sg_executor_free(sg_executor *ex);

/* ------------------------------------------------------------- devices ---- */

/* Other devices (symgraph_cuda.cu registers SG_GPU with sg_cuda_register()).
 * A device is a table of functions: memory, copies, the kernels of each
 * operator (by canonical name) and the optimizer updates. Arrays on a device
 * have dev_type != SG_CPU and data pointing to device memory; sg_nd_zeros_dev,
 * sg_nd_copy_to and sg_nd_free go through the table, and sg_bind with that
 * dev_type runs every kernel there (same plan, same semantics as the CPU).
 * The kernels use the same interface as the CPU ones (struct sg__kctx and
 * struct sg__node are opaque here; read them with sg_kctx_* / sg_knode_*). */
struct sg__kctx;
struct sg__node;
typedef int (*sg_dev_fwd_fn)(struct sg__kctx *k, const struct sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out);
typedef int (*sg_dev_bwd_fn)(struct sg__kctx *k, const struct sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                             sg_ndarray *const *out, sg_ndarray *const *ig, const int *req);
typedef size_t (*sg_dev_ws_fn)(const struct sg__node *n, const sg_shape *in, const sg_shape *out);
enum { SG_COPY_H2D = 1, SG_COPY_D2H = 2, SG_COPY_D2D = 3 };
typedef struct sg_device_ops {
    const char *name;
    /* Every int-returning entry gives SG_OK or a status; then error() has the
     * device's message. Memory is on the device current to the library (dev 0). */
    int (*alloc)(size_t bytes, void **ptr);
    void (*free)(void *ptr);
    int (*copy)(void *dst, const void *src, size_t bytes, int kind); /* SG_COPY_* */
    int (*zero)(void *dst, size_t bytes);
    /* Kernels of an operator: 0 with *fwd, *bwd, *ws set (bwd, ws may be NULL),
     * or -1 when the device has no kernel for it. */
    int (*kernels)(const char *op, sg_dev_fwd_fn *fwd, sg_dev_bwd_fn *bwd, sg_dev_ws_fn *ws);
    int (*sync)(void);
    const char *(*error)(void);
    /* dst += src (both on the device, same size and dtype, float32 or float64). */
    int (*add)(sg_ndarray *dst, const sg_ndarray *src);
    /* The optimizer updates on float32 device memory (formulas of sg_sgd_update ...). */
    int (*sgd_update)(float *w, const float *g, int64_t n, float lr, float wd, float rescale_grad, float clip_gradient);
    int (*sgd_mom_update)(float *w, const float *g, float *mom, int64_t n, float lr, float momentum, float wd,
                          float rescale_grad, float clip_gradient);
    int (*adam_update)(float *w, const float *g, float *mean, float *var, int64_t n, float lr, float beta1, float beta2,
                       float epsilon, float wd, float rescale_grad, float clip_gradient);
} sg_device_ops;
/* Register (copy) the table of dev_type (SG_GPU); ops NULL unregisters. */
SGDEF int sg_register_device(int dev_type, const sg_device_ops *ops);
/* The registered table of dev_type, or NULL (SG_CPU has none). */
SGDEF const sg_device_ops *sg_device_get(int dev_type);
/* Defined in symgraph_cuda.cu (compile it with nvcc and link it, -lcublas):
 * register the GPU as SG_GPU; SG_ERR_UNSUPPORTED with CUDA's message in
 * sg_cuda_error() when there is no device or driver (never aborts). */
#ifndef SYMGRAPH_STATIC /* the CUDA companion needs the library's extern functions */
SGDEF int sg_cuda_register(void);
SGDEF const char *sg_cuda_error(void);
#endif
/* A zero-filled array on a device (dev_type SG_CPU: as sg_nd_zeros). */
SGDEF sg_ndarray *sg_nd_zeros_dev(int ndim, const int64_t *dims, int dtype, int dev_type, int dev_id);

/* For device kernels: the kernel context and the node being run. */
typedef struct sg_kparam { /* a parsed operator parameter */
    int given, none;
    long long i;     /* int, bool, enum index */
    double f;        /* float */
    int ndim;        /* tuple */
    long long t[SG_MAX_NDIM];
    const char *s;   /* text */
} sg_kparam;
SGDEF int sg_kctx_is_train(const struct sg__kctx *k);
SGDEF void *sg_kctx_workspace(const struct sg__kctx *k, size_t *bytes);
SGDEF sg_rng *sg_kctx_rng(struct sg__kctx *k);
/* Report a kernel failure (the executor's error names the node); returns status. */
SGDEF int sg_kctx_error(struct sg__kctx *k, const struct sg__node *n, int status, const char *msg);
SGDEF const char *sg_knode_name(const struct sg__node *n);
SGDEF const char *sg_knode_op(const struct sg__node *n);
SGDEF int sg_knode_num_inputs(const struct sg__node *n);
/* The parameter key of n's operator: SG_OK, or SG_ERR_PARAM when it has none. */
SGDEF int sg_knode_param(const struct sg__node *n, const char *key, sg_kparam *out);

/* ------------------------------------------------------------ training ---- */

/* Optimizer updates on NDArrays (float32), MXNet's exact formulas
 * (optimizer_op-inl.h); w (and the states) are updated in place.
 * clip_gradient < 0 disables clipping. Errors: NULL, shape or dtype mismatch.
 *   sgd_update:     w = (1 - lr*wd) w - lr clip(rescale_grad g)
 *   sgd_mom_update: mom = momentum mom - lr wd w - lr clip(rescale_grad g); w += mom
 *   adam_update:    g' = clip(rescale_grad g + wd w); mean = b1 mean + (1-b1) g';
 *                   var = b2 var + (1-b2) g'^2; w -= lr mean / (sqrt(var) + epsilon)
 *                   (no bias correction: the Adam optimizer folds it into lr) */
SGDEF int sg_sgd_update(sg_ndarray *w, const sg_ndarray *g, float lr, float wd, float rescale_grad, float clip_gradient);
SGDEF int sg_sgd_mom_update(sg_ndarray *w, const sg_ndarray *g, sg_ndarray *mom, float lr, float momentum, float wd,
                            float rescale_grad, float clip_gradient);
SGDEF int sg_adam_update(sg_ndarray *w, const sg_ndarray *g, sg_ndarray *mean, sg_ndarray *var, float lr, float beta1,
                         float beta2, float epsilon, float wd, float rescale_grad, float clip_gradient);

/* Initializers with mx.init's semantics. */
enum { SG_INIT_UNIFORM = 1, SG_INIT_NORMAL = 2, SG_INIT_XAVIER = 3 };
typedef struct sg_initializer {
    int type;               /* SG_INIT_* */
    float scale;            /* Uniform(scale): U(-scale, scale); Normal(sigma = scale) */
    const char *rnd_type;   /* Xavier: "uniform" (default) or "gaussian" */
    const char *factor_type;/* Xavier: "avg" (default), "in", "out" */
    float magnitude;        /* Xavier: default 3 */
} sg_initializer;
/* Initialise the array of the variable `name` as mx.init does: an __init__
 * attribute (init_attr, may be NULL: "[\"zero\", {}]", "[\"one\", {}]",
 * "[\"Constant\", {\"value\": 0.25}]", "[\"xavier\", {...}]", ...) wins;
 * otherwise by name suffix: *weight -> init, *bias / *beta / *moving_mean / *min
 * -> 0, *gamma / *moving_var / *max -> 1; any other name is an error. */
SGDEF int sg_init_array(const sg_initializer *init, const char *name, const char *init_attr, sg_ndarray *a, sg_rng *r);

/* In-memory minibatches with mx.io.NDArrayIter's semantics: data (N, ...) and
 * label (N, ...) arrays (borrowed), batch_size, shuffle with a seed per epoch,
 * last_batch_handle "pad" (the last batch wraps to the start; pad counts the
 * wrapped samples) or "discard". */
typedef struct sg_data_iter {
    sg_ndarray *data, *label;
    int batch_size, shuffle, discard_last;
    uint64_t seed;
    int64_t *order;     /* sample order of this epoch */
    int64_t cursor, num;
    int epoch;
} sg_data_iter;
SGDEF int sg_iter_init(sg_data_iter *it, sg_ndarray *data, sg_ndarray *label, int batch_size, int shuffle,
                       const char *last_batch_handle, uint64_t seed);
/* Start an epoch (reshuffles); then sg_iter_next copies the next batch into the
 * batch arrays (shapes (batch_size, ...)) and sets *pad; returns 1 while there
 * is a batch, 0 at the end, or a negative status. */
SGDEF void sg_iter_reset(sg_data_iter *it);
SGDEF int sg_iter_next(sg_data_iter *it, sg_ndarray *data_batch, sg_ndarray *label_batch, int *pad);
SGDEF void sg_iter_free(sg_data_iter *it);

/* A training module in the spirit of mx.mod.Module: one symbol whose first
 * inputs are data and label, bound for training with grad_req write on every
 * parameter and null on data and labels. */
enum { SG_OPT_SGD = 1, SG_OPT_ADAM = 2 };
typedef struct sg_module_opts {
    const char *data_name, *label_name; /* default "data" and "softmax_label" */
    sg_shape data_shape;                /* (batch_size, ...) */
    sg_shape label_shape;               /* default (batch_size,) */
    int optimizer;                      /* SG_OPT_SGD (momentum > 0: sgd_mom) or SG_OPT_ADAM */
    float learning_rate, momentum, wd, beta1, beta2, epsilon, clip_gradient;
    float rescale_grad;                 /* 0: 1 / batch_size, as Module does */
    sg_initializer init;                /* default Uniform(0.01), as Module.fit does */
    uint64_t seed;                      /* parameter initialisation and Dropout */
    int dev_type;                       /* 0 / SG_CPU: CPU; SG_GPU: bind on the GPU (registered device) */
} sg_module_opts;
typedef struct sg_module sg_module;
/* Metrics of an epoch or a scoring pass. */
typedef struct sg_metrics { double accuracy, cross_entropy; int64_t samples; } sg_metrics;
/* Called after each training batch (NULL: none): batch index, number of batches,
 * running metrics. The library itself never prints. */
typedef void (*sg_batch_callback)(void *user, int batch, int nbatches, const sg_metrics *running);

/* Bind s for training and initialise its parameters. *out: free with sg_module_free. */
SGDEF int sg_module_create(sg_graph *g, const sg_symbol *s, const sg_module_opts *o, sg_module **out);
SGDEF void sg_module_free(sg_module *m);
/* One epoch over it: forward, backward and update per batch (lr_mult / wd_mult
 * attributes honoured; wd_mult is 0 for names not ending in _weight or _gamma). */
SGDEF int sg_module_fit_epoch(sg_module *m, sg_data_iter *it, sg_metrics *train, sg_batch_callback cb, void *user);
/* Accuracy and cross-entropy of the first output (class probabilities) on it. */
SGDEF int sg_module_score(sg_module *m, sg_data_iter *it, sg_metrics *out);
/* Predict: the first output for every sample of it (pads dropped), into out
 * (N, classes) float32 that the caller allocates. */
SGDEF int sg_module_predict(sg_module *m, sg_data_iter *it, sg_ndarray *out);
/* save_checkpoint: prefix-symbol.json and prefix-%04d.params (arg:/aux: keys). */
SGDEF int sg_module_save_checkpoint(sg_module *m, const char *prefix, int epoch);
/* Load prefix-%04d.params into the module's parameters by name (arg:/aux:). */
SGDEF int sg_module_load_params(sg_module *m, const char *prefix, int epoch);
/* Change the learning rate between epochs (an lr schedule, as mx.lr_scheduler does). */
SGDEF void sg_module_set_learning_rate(sg_module *m, float lr);
SGDEF float sg_module_learning_rate(const sg_module *m);
/* The module's executor (for its arrays) and its last error message. */
SGDEF sg_executor *sg_module_executor(sg_module *m);
SGDEF const char *sg_module_error(const sg_module *m);

/* ------------------------------------------------------- visualization ---- */

/* mx.viz.print_summary(symbol, shape, line_length): the layer table, byte for
 * byte as MXNet 1.9.1 prints it (every line ends in '\n'). Rows: node 0 and
 * every operator node; columns "Layer (type)", "Output Shape" (batch dim
 * dropped, dims joined by 'x'), "Param #", "Previous Layer" at the stops
 * int(line_length * {.44, .64, .74, 1.}) ([52, 76, 88, 120] for 120), each field
 * cut or padded to its stop (counting UTF-8 characters); then "Total params: N".
 * MXNet's quirks are kept: a variable input counts as a previous layer (and adds
 * its channels to the parameter formula) only when its node id is one of the
 * three numbers of the first head entry, which in practice means node 0; the
 * FullyConnected count of an un-flattened 4-D input uses the channels only.
 *   nshapes/names/shapes  input shapes, as for sg_infer_shape (complete
 *          inference of get_internals() must succeed, else SG_ERR_INCOMPLETE,
 *          MXNet's "Input shape is incomplete"). nshapes 0: no shapes (Python's
 *          shape=None): empty output shapes and parameter counts computed with
 *          zero input channels, as MXNet does.
 *   line_length  total width; <= 0 means MXNet's default 120.
 *   text   receives a NUL-terminated string that the caller frees with free()
 *          (SYMGRAPH_FREE when overridden); NULL on error.
 * Errors (with sg_graph_error naming the node): what makes MXNet raise (a 1-D
 * input shape where a channel count is read, a BatchNorm without a shape, a
 * malformed integer attribute), SG_ERR_OVERFLOW for counts beyond int64. */
SGDEF int sg_print_summary(sg_graph *g, const sg_symbol *s, int nshapes, const char *const *names,
                           const sg_shape *shapes, int line_length, char **text);

/* mx.viz.plot_network(symbol, title, shape=, dtype=, node_attrs=, hide_weights=).source:
 * the Graphviz DOT text byte for byte as MXNet 1.9.1 with the graphviz Python
 * package writes it (no trailing newline): "digraph plot {", one line per node
 * '\t<name> [label=<label> <attrs sorted by key>]' and one per edge
 * '\t<op> -> <input> [label=<shape> arrowtail=open dir=back]', then "}".
 * Names and values are quoted as graphviz.lang.quote does ("#fb8072",
 * "Convolution\n7x7/2x2, 64" with a real newline; plain identifiers and numbers
 * stay bare). Labels and colours per operator family are those of spec section 7:
 * variables are ovals (#8dd3c7); Convolution "Convolution\n{kernel}/{stride},
 * {num_filter}" and FullyConnected "FullyConnected\n{num_hidden}" #fb8072;
 * Activation / LeakyReLU "{op}\n{act_type}" #ffffb3; BatchNorm #bebada; Pooling
 * "Pooling\n{pool_type}, {kernel}/{stride}" #80b1d3; Concat, Flatten, Reshape
 * #fdb462; others #fccde5 (their node name as label).
 *   title  the graph name (NULL: "plot"; "": none).
 *   nshapes/names/shapes  as sg_print_summary; with shapes each edge is labelled
 *          with its source's shape without the batch dim ("64x56x56"); for a
 *          source with a num_outputs attribute, its last output's shape.
 *   ntypes/type_names/dtypes  optional input dtypes (sg_dtype codes; ntypes 0:
 *          none): edge labels get "(float32)" appended (numpy's type name).
 *   node_attrs  NULL or a kv list overriding the default node attributes
 *          (shape=box fixedsize=true width=1.3 height=0.8034 style=filled);
 *          "label" and "name" are errors (a TypeError in Python).
 *   hide_weights  1 (MXNet's default): variables named *_weight, *_bias, *_beta,
 *          *_gamma, *_moving_var, *_moving_mean, *_running_var, *_running_mean
 *          and their edges are left out; 0: their edges are kept but they get no
 *          node line (Graphviz draws plain ellipses), as MXNet does.
 *   dot    receives the text; the caller frees it with free() (SYMGRAPH_FREE).
 * Deliberate difference: a Pooling node without pool_type gets MXNet's default
 * "max" in its label where plot_network raises KeyError. */
SGDEF int sg_plot_network(sg_graph *g, const sg_symbol *s, const char *title, int nshapes,
                          const char *const *names, const sg_shape *shapes, int ntypes,
                          const char *const *type_names, const int *dtypes, const char *const *node_attrs,
                          int hide_weights, char **dot);

#endif /* SYMGRAPH_H */

/* ========================================================================== */
/*                              IMPLEMENTATION                                */
/* ========================================================================== */
#ifdef SYMGRAPH_IMPLEMENTATION
#ifndef SYMGRAPH_IMPLEMENTATION_DONE
#define SYMGRAPH_IMPLEMENTATION_DONE

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdarg.h>
#include <math.h>
#include <limits.h>
#include <float.h>
#include <errno.h>

#ifndef SYMGRAPH_MALLOC
#define SYMGRAPH_MALLOC(sz) malloc(sz)
#define SYMGRAPH_REALLOC(p, sz) realloc(p, sz)
#define SYMGRAPH_FREE(p) free(p)
#endif
#ifndef SYMGRAPH_ASSERT
#include <assert.h>
#define SYMGRAPH_ASSERT(x) assert(x)
#endif
#ifndef SYMGRAPH_MAX_JSON_DEPTH
#define SYMGRAPH_MAX_JSON_DEPTH 64
#endif

#ifdef SYMGRAPH_STATIC
#define SG__DEF SGDEF
#else
#define SG__DEF
#endif
#define SG__INTERNAL static

/* ========================================================================== */
/* 1. Utilities                                                               */
/* ========================================================================== */

#define SG__ERRLEN 1024

typedef struct sg__entry {
    struct sg__node *node;
    int index;   /* output index of node */
    int version; /* variable version (nnvm NodeEntry::version) */
} sg__entry;

typedef struct sg__kv { char *k, *v; } sg__kv;

typedef struct sg__attrs { /* a std::map<string,string>: kept sorted by key, byte order */
    sg__kv *kv;
    int n, cap;
} sg__attrs;

struct sg__opdef;
struct sg__pval;

typedef struct sg__node {
    const struct sg__opdef *op; /* NULL for a variable */
    char *name;
    sg__attrs attrs;
    sg__entry *in;
    int nin;
    int composed;         /* op node: inputs have been attached */
    int version;          /* variable: nnvm VariableParam::version */
    struct sg__pval *pv;  /* parsed parameters (op->nparams of them) */
    int id;               /* scratch: index during a traversal */
    int mark;             /* scratch: DFS state */
    int live;             /* 1 while owned by the graph */
    const struct sg__opdef *origin; /* variable created automatically for this operator */
} sg__node;

typedef struct sg__strs { char **v; int n; } sg__strs; /* owned strings */

enum { SG__L_ARGS, SG__L_OUTS, SG__L_AUX, SG__L_INPUTS, SG__L_ATTR, SG__L_ATTRDICT, SG__L_COUNT };

struct sg_symbol {
    sg_graph *g;
    sg__entry *heads;
    int nheads;
    sg__strs lists[SG__L_COUNT]; /* cached results of the listing calls */
};

typedef struct sg__namemgr {
    char *prefix;
    sg__attrs counters; /* hint -> decimal counter text */
} sg__namemgr;

struct sg_graph {
    sg__node **nodes; int nnodes, capnodes;
    sg_symbol **syms; int nsyms, capsyms;
    sg__namemgr *names; int nnames, capnames;
    sg__attrs *scopes; int nscopes, capscopes;
    char err[SG__ERRLEN];
    int status;
    int mkldnn_rows;
    char *json;   /* last sg_tojson text */
    sg__strs *retired; int nretired, capretired; /* listings replaced by newer ones */
};

SG__INTERNAL void *sg__malloc(size_t n) { return SYMGRAPH_MALLOC(n ? n : 1); }
SG__INTERNAL void *sg__calloc(size_t n, size_t sz) {
    void *p;
    if (sz && n > (size_t)-1 / sz) return NULL;
    p = SYMGRAPH_MALLOC(n * sz != 0 ? n * sz : 1);
    if (p) memset(p, 0, n * sz != 0 ? n * sz : 1);
    return p;
}
SG__INTERNAL void sg__free(void *p) { if (p) SYMGRAPH_FREE(p); }

/* Grow *arr (of elements of size sz) so that it holds at least need elements. */
SG__INTERNAL int sg__grow(void **arr, int *cap, int need, size_t sz) {
    int nc;
    void *p;
    if (need <= *cap) return 1;
    if (need > INT_MAX / 2) return 0;
    nc = *cap ? *cap * 2 : 8;
    while (nc < need) nc *= 2;
    if ((size_t)nc > (size_t)-1 / sz) return 0;
    p = SYMGRAPH_REALLOC(*arr, (size_t)nc * sz);
    if (!p) return 0;
    *arr = p;
    *cap = nc;
    return 1;
}
#define SG__GROW(arr, cap, need) sg__grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

SG__INTERNAL char *sg__strndup(const char *s, size_t n) {
    char *d = (char *)sg__malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}
SG__INTERNAL char *sg__strdup(const char *s) { return s ? sg__strndup(s, strlen(s)) : NULL; }

/* Concatenate up to 4 strings into a new one. */
SG__INTERNAL char *sg__cat(const char *a, const char *b, const char *c, const char *d) {
    size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0, lc = c ? strlen(c) : 0, ld = d ? strlen(d) : 0;
    char *r = (char *)sg__malloc(la + lb + lc + ld + 1);
    if (!r) return NULL;
    if (la) memcpy(r, a, la);
    if (lb) memcpy(r + la, b, lb);
    if (lc) memcpy(r + la + lb, c, lc);
    if (ld) memcpy(r + la + lb + lc, d, ld);
    r[la + lb + lc + ld] = 0;
    return r;
}

SG__INTERNAL int sg__seterr(sg_graph *g, int status, const char *fmt, ...) {
    va_list ap;
    if (!g) return status;
    va_start(ap, fmt);
    vsnprintf(g->err, sizeof g->err, fmt, ap);
    va_end(ap);
    g->status = status;
    return status;
}
#define SG__NOMEM(g) sg__seterr((g), SG_ERR_NOMEM, "out of memory")

/* A growable text buffer. On allocation failure it sets oom and stops growing. */
typedef struct sg__buf { char *p; size_t n, cap; int oom; } sg__buf;
SG__INTERNAL void sg__buf_put(sg__buf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        char *p;
        while (nc < b->n + n + 1) {
            if (nc > ((size_t)-1) / 2) { b->oom = 1; return; }
            nc *= 2;
        }
        p = (char *)SYMGRAPH_REALLOC(b->p, nc);
        if (!p) { b->oom = 1; return; }
        b->p = p;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
SG__INTERNAL void sg__buf_puts(sg__buf *b, const char *s) { sg__buf_put(b, s, strlen(s)); }
SG__INTERNAL void sg__buf_printf(sg__buf *b, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) { sg__buf_put(b, tmp, (size_t)n); return; }
    {
        char *big = (char *)sg__malloc((size_t)n + 1);
        if (!big) { b->oom = 1; return; }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        sg__buf_put(b, big, (size_t)n);
        sg__free(big);
    }
}

/* ---- attribute maps (sorted, byte order like std::map<std::string,...>) ---- */
SG__INTERNAL int sg__attrs_find(const sg__attrs *a, const char *k, int *pos) {
    int lo = 0, hi = a->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2, c = strcmp(a->kv[mid].k, k);
        if (c == 0) { if (pos) *pos = mid; return 1; }
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    if (pos) *pos = lo;
    return 0;
}
SG__INTERNAL const char *sg__attrs_get(const sg__attrs *a, const char *k) {
    int i;
    return sg__attrs_find(a, k, &i) ? a->kv[i].v : NULL;
}
/* Set k=v (overwrite). Returns 1 ok, 0 out of memory. */
SG__INTERNAL int sg__attrs_set(sg__attrs *a, const char *k, const char *v) {
    int i;
    char *nv = sg__strdup(v);
    if (!nv) return 0;
    if (sg__attrs_find(a, k, &i)) {
        sg__free(a->kv[i].v);
        a->kv[i].v = nv;
        return 1;
    }
    {
        char *nk = sg__strdup(k);
        if (!nk || !SG__GROW(a->kv, a->cap, a->n + 1)) { sg__free(nk); sg__free(nv); return 0; }
        memmove(a->kv + i + 1, a->kv + i, (size_t)(a->n - i) * sizeof(sg__kv));
        a->kv[i].k = nk;
        a->kv[i].v = nv;
        a->n++;
    }
    return 1;
}
SG__INTERNAL void sg__attrs_del(sg__attrs *a, const char *k) {
    int i;
    if (!sg__attrs_find(a, k, &i)) return;
    sg__free(a->kv[i].k);
    sg__free(a->kv[i].v);
    memmove(a->kv + i, a->kv + i + 1, (size_t)(a->n - i - 1) * sizeof(sg__kv));
    a->n--;
}
SG__INTERNAL void sg__attrs_clear(sg__attrs *a) {
    int i;
    for (i = 0; i < a->n; i++) { sg__free(a->kv[i].k); sg__free(a->kv[i].v); }
    sg__free(a->kv);
    a->kv = NULL;
    a->n = a->cap = 0;
}
SG__INTERNAL int sg__attrs_copy(sg__attrs *dst, const sg__attrs *src) {
    int i;
    for (i = 0; i < src->n; i++)
        if (!sg__attrs_set(dst, src->kv[i].k, src->kv[i].v)) return 0;
    return 1;
}

SG__INTERNAL void sg__strs_clear(sg__strs *s) {
    int i;
    for (i = 0; i < s->n; i++) sg__free(s->v[i]);
    sg__free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* ---- hidden keys (src/c_api/c_api_symbolic.cc kHiddenKeys) ---- */
static const char *const sg__hidden_keys[] = {"ctx_group", "lr_mult", "wd_mult", "force_mirroring",
                                              "mirror_stage"};
#define SG__NHIDDEN 5
SG__INTERNAL int sg__is_hidden(const char *k) {
    int i;
    for (i = 0; i < SG__NHIDDEN; i++)
        if (!strcmp(k, sg__hidden_keys[i])) return 1;
    return 0;
}
/* "__x__" with length > 4 */
SG__INTERNAL int sg__is_dunder(const char *k) {
    size_t n = strlen(k);
    return n > 4 && k[0] == '_' && k[1] == '_' && k[n - 1] == '_' && k[n - 2] == '_';
}
/* Where a key starts with / ends with a hidden key (CreateAtomicSymbol's rule).
 * Returns 1 and sets *out to the stored key ("__lr_mult__" for "lr_mult", and for
 * "lr_mult_x" "__lr_mult_x__"), 0 if not hidden, -1 if it ends with one (error). */
SG__INTERNAL int sg__hidden_rule(const char *k, const char **hk) {
    int i;
    size_t kl = strlen(k);
    for (i = 0; i < SG__NHIDDEN; i++) {
        const char *h = sg__hidden_keys[i];
        size_t hl = strlen(h);
        const char *p = NULL, *q = k;
        /* rfind */
        while ((q = strstr(q, h)) != NULL) { p = q; q++; }
        if (!p) continue;
        if (p == k) { *hk = h; return 1; }
        if ((size_t)(p - k) + hl == kl) { *hk = h; return -1; }
    }
    return 0;
}

/* ---- numbers ---- */
/* Python repr(float): the shortest string that round-trips, in Python's layout. */
SG__DEF char *sg_format_float(char *buf, double v) {
    char tmp[40], digits[24], *p;
    int prec, exp10, nd, i, neg;
    if (v != v) { strcpy(buf, "nan"); return buf; }
    if (v == HUGE_VAL) { strcpy(buf, "inf"); return buf; }
    if (v == -HUGE_VAL) { strcpy(buf, "-inf"); return buf; }
    if (v == 0) { strcpy(buf, signbit(v) ? "-0.0" : "0.0"); return buf; }
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        if (strtod(tmp, NULL) == v) break;
    }
    /* tmp = [-]d.ddde[+-]xx */
    p = tmp;
    neg = (*p == '-');
    if (neg) p++;
    nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    digits[nd] = 0;
    exp10 = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') digits[--nd] = 0;
    p = buf;
    if (neg) *p++ = '-';
    if (exp10 < -4 || exp10 >= 16) {
        *p++ = digits[0];
        if (nd > 1) { *p++ = '.'; for (i = 1; i < nd; i++) *p++ = digits[i]; }
        sprintf(p, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    } else if (exp10 < 0) {
        *p++ = '0'; *p++ = '.';
        for (i = 0; i < -exp10 - 1; i++) *p++ = '0';
        for (i = 0; i < nd; i++) *p++ = digits[i];
        *p = 0;
    } else {
        for (i = 0; i <= exp10; i++) *p++ = i < nd ? digits[i] : '0';
        *p++ = '.';
        if (nd > exp10 + 1) for (i = exp10 + 1; i < nd; i++) *p++ = digits[i];
        else *p++ = '0';
        *p = 0;
    }
    return buf;
}

static const struct { const char *name; int code; size_t size; } sg__dtypes[] = {
    {"float32", 0, 4}, {"float64", 1, 8}, {"float16", 2, 2}, {"uint8", 3, 1}, {"int32", 4, 4},
    {"int8", 5, 1}, {"int64", 6, 8}, {"bool", 7, 1}, {"bfloat16", 12, 2}};
#define SG__NDTYPES 9
SG__DEF int sg_dtype_from_name(const char *name) {
    int i;
    if (!name) return -1;
    for (i = 0; i < SG__NDTYPES; i++)
        if (!strcmp(name, sg__dtypes[i].name)) return sg__dtypes[i].code;
    return -1;
}
SG__DEF const char *sg_dtype_name(int dtype) {
    int i;
    for (i = 0; i < SG__NDTYPES; i++)
        if (sg__dtypes[i].code == dtype) return sg__dtypes[i].name;
    return NULL;
}
SG__DEF size_t sg_dtype_size(int dtype) {
    int i;
    for (i = 0; i < SG__NDTYPES; i++)
        if (sg__dtypes[i].code == dtype) return sg__dtypes[i].size;
    return 0;
}

/* ---- shapes ---- */
SG__INTERNAL sg_shape sg__shape_unknown(void) {
    sg_shape s;
    memset(&s, 0, sizeof s);
    s.ndim = -1;
    return s;
}
SG__INTERNAL sg_shape sg__shape_make(int ndim, const int64_t *d) {
    sg_shape s;
    int i;
    memset(&s, 0, sizeof s);
    s.ndim = ndim;
    for (i = 0; i < ndim; i++) s.dims[i] = d[i];
    return s;
}
SG__INTERNAL int sg__shape_known(const sg_shape *s) {
    int i;
    if (s->ndim < 0) return 0;
    for (i = 0; i < s->ndim; i++)
        if (s->dims[i] < 0) return 0;
    return 1;
}
SG__INTERNAL int sg__shape_eq(const sg_shape *a, const sg_shape *b) {
    int i;
    if (a->ndim != b->ndim) return 0;
    for (i = 0; i < a->ndim; i++)
        if (a->dims[i] != b->dims[i]) return 0;
    return 1;
}
SG__DEF int sg_shape_size(const sg_shape *s, int64_t *count) {
    int64_t c = 1;
    int i;
    if (!s || !count || s->ndim < 0) return SG_ERR_ARG;
    for (i = 0; i < s->ndim; i++) {
        if (s->dims[i] < 0) return SG_ERR_ARG;
        if (s->dims[i] && c > INT64_MAX / s->dims[i]) return SG_ERR_OVERFLOW;
        c *= s->dims[i];
    }
    *count = c;
    return SG_OK;
}
SG__DEF char *sg_shape_str(const sg_shape *s, char *buf, size_t bufsz) {
    size_t n = 0;
    int i;
    if (!buf || bufsz < 3) return buf;
    if (!s || s->ndim < 0) { snprintf(buf, bufsz, "[]"); return buf; }
    buf[n++] = '[';
    for (i = 0; i < s->ndim && n + 24 < bufsz; i++)
        n += (size_t)snprintf(buf + n, bufsz - n, i ? ",%lld" : "%lld", (long long)s->dims[i]);
    if (n + 2 <= bufsz) { buf[n++] = ']'; buf[n] = 0; }
    else buf[bufsz - 1] = 0;
    return buf;
}

/* ========================================================================== */
/* 2. JSON                                                                    */
/* ========================================================================== */
/* Reader: a DOM in one array of values; strings decoded into one pool the size
 * of the input, so parsing is linear in the input and allocates O(1) times. */

enum { SG__J_NULL, SG__J_BOOL, SG__J_NUM, SG__J_STR, SG__J_ARR, SG__J_OBJ };

typedef struct sg__jv {
    int type;
    size_t off;      /* byte offset in the input, for messages */
    const char *key; /* member name when inside an object */
    const char *s;   /* string value (NUL-terminated, in the pool) */
    double num;
    int isint;       /* number written as an integer that fits int64 */
    long long i;
    int first, next, count; /* children (arrays, objects), sibling link */
} sg__jv;

typedef struct sg__json {
    sg__jv *v; int n, cap;
    char *pool; size_t pn;
    const char *src; size_t len, pos;
    char err[256];
} sg__json;

SG__INTERNAL void sg__json_linecol(const char *src, size_t off, int *line, int *col) {
    size_t i;
    *line = 1; *col = 1;
    for (i = 0; i < off; i++) {
        if (src[i] == '\n') { (*line)++; *col = 1; } else (*col)++;
    }
}
SG__INTERNAL int sg__json_fail(sg__json *J, size_t off, const char *what) {
    int line, col;
    if (J->err[0]) return -1;
    sg__json_linecol(J->src, off < J->len ? off : J->len, &line, &col);
    snprintf(J->err, sizeof J->err, "JSON parse error at line %d, column %d: %s", line, col, what);
    return -1;
}
SG__INTERNAL void sg__json_ws(sg__json *J) {
    while (J->pos < J->len) {
        char c = J->src[J->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') J->pos++;
        else break;
    }
}
SG__INTERNAL int sg__json_new(sg__json *J, int type) {
    if (!SG__GROW(J->v, J->cap, J->n + 1)) return -1;
    memset(&J->v[J->n], 0, sizeof(sg__jv));
    J->v[J->n].type = type;
    J->v[J->n].off = J->pos;
    J->v[J->n].first = J->v[J->n].next = -1;
    return J->n++;
}
/* Parse a string at J->pos (on the opening quote) into the pool. */
SG__INTERNAL const char *sg__json_str(sg__json *J) {
    size_t start = J->pos;
    char *out = J->pool + J->pn, *o = out;
    J->pos++;
    for (;;) {
        unsigned char c;
        if (J->pos >= J->len) { sg__json_fail(J, start, "unterminated string"); return NULL; }
        c = (unsigned char)J->src[J->pos++];
        if (c == '"') break;
        if (c == '\\') {
            if (J->pos >= J->len) { sg__json_fail(J, start, "unterminated string"); return NULL; }
            c = (unsigned char)J->src[J->pos++];
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '/': *o++ = '/'; break;
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case 'u': {
                unsigned cp = 0;
                int k;
                if (J->pos + 4 > J->len) { sg__json_fail(J, J->pos, "bad \\u escape"); return NULL; }
                for (k = 0; k < 4; k++) {
                    char h = J->src[J->pos++];
                    cp <<= 4;
                    if (h >= '0' && h <= '9') cp |= (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f') cp |= (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F') cp |= (unsigned)(h - 'A' + 10);
                    else { sg__json_fail(J, J->pos - 1, "bad \\u escape"); return NULL; }
                }
                if (cp == 0) { sg__json_fail(J, J->pos - 6, "\\u0000 in a string"); return NULL; }
                /* UTF-8 encode (surrogates are kept as 3-byte sequences); 6 raw bytes >= 3 out */
                if (cp < 0x80) *o++ = (char)cp;
                else if (cp < 0x800) { *o++ = (char)(0xC0 | (cp >> 6)); *o++ = (char)(0x80 | (cp & 0x3F)); }
                else {
                    *o++ = (char)(0xE0 | (cp >> 12));
                    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                }
                break;
            }
            default: sg__json_fail(J, J->pos - 2, "invalid escape in string"); return NULL;
            }
        } else if (c < 0x20) {
            sg__json_fail(J, J->pos - 1, "control character in string");
            return NULL;
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = 0;
    J->pn += (size_t)(o - out);
    return out;
}
SG__INTERNAL int sg__json_value(sg__json *J, int depth);
SG__INTERNAL int sg__json_value(sg__json *J, int depth) {
    int id, last = -1;
    char c;
    sg__json_ws(J);
    if (J->pos >= J->len) return sg__json_fail(J, J->pos, "unexpected end of input");
    if (depth > SYMGRAPH_MAX_JSON_DEPTH) return sg__json_fail(J, J->pos, "nesting too deep");
    c = J->src[J->pos];
    if (c == '{' || c == '[') {
        int obj = c == '{';
        id = sg__json_new(J, obj ? SG__J_OBJ : SG__J_ARR);
        if (id < 0) return sg__json_fail(J, J->pos, "out of memory");
        J->pos++;
        sg__json_ws(J);
        if (J->pos < J->len && J->src[J->pos] == (obj ? '}' : ']')) { J->pos++; return id; }
        for (;;) {
            const char *key = NULL;
            int ch;
            sg__json_ws(J);
            if (obj) {
                if (J->pos >= J->len || J->src[J->pos] != '"')
                    return sg__json_fail(J, J->pos, "expected a string key");
                key = sg__json_str(J);
                if (!key) return -1;
                sg__json_ws(J);
                if (J->pos >= J->len || J->src[J->pos] != ':') return sg__json_fail(J, J->pos, "expected ':'");
                J->pos++;
            }
            ch = sg__json_value(J, depth + 1);
            if (ch < 0) return -1;
            J->v[ch].key = key;
            if (last < 0) J->v[id].first = ch; else J->v[last].next = ch;
            last = ch;
            J->v[id].count++;
            sg__json_ws(J);
            if (J->pos >= J->len) return sg__json_fail(J, J->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
            if (J->src[J->pos] == ',') { J->pos++; continue; }
            if (J->src[J->pos] == (obj ? '}' : ']')) { J->pos++; return id; }
            return sg__json_fail(J, J->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (c == '"') {
        id = sg__json_new(J, SG__J_STR);
        if (id < 0) return sg__json_fail(J, J->pos, "out of memory");
        J->v[id].s = sg__json_str(J);
        return J->v[id].s ? id : -1;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        size_t st = J->pos;
        char numbuf[64];
        int isint = 1;
        if (J->src[J->pos] == '-') J->pos++;
        if (J->pos >= J->len || J->src[J->pos] < '0' || J->src[J->pos] > '9')
            return sg__json_fail(J, st, "invalid number");
        while (J->pos < J->len && J->src[J->pos] >= '0' && J->src[J->pos] <= '9') J->pos++;
        if (J->pos < J->len && J->src[J->pos] == '.') {
            isint = 0;
            J->pos++;
            if (J->pos >= J->len || J->src[J->pos] < '0' || J->src[J->pos] > '9')
                return sg__json_fail(J, st, "invalid number");
            while (J->pos < J->len && J->src[J->pos] >= '0' && J->src[J->pos] <= '9') J->pos++;
        }
        if (J->pos < J->len && (J->src[J->pos] == 'e' || J->src[J->pos] == 'E')) {
            isint = 0;
            J->pos++;
            if (J->pos < J->len && (J->src[J->pos] == '+' || J->src[J->pos] == '-')) J->pos++;
            if (J->pos >= J->len || J->src[J->pos] < '0' || J->src[J->pos] > '9')
                return sg__json_fail(J, st, "invalid number");
            while (J->pos < J->len && J->src[J->pos] >= '0' && J->src[J->pos] <= '9') J->pos++;
        }
        if (J->pos - st >= sizeof numbuf) return sg__json_fail(J, st, "number too long");
        memcpy(numbuf, J->src + st, J->pos - st);
        numbuf[J->pos - st] = 0;
        id = sg__json_new(J, SG__J_NUM);
        if (id < 0) return sg__json_fail(J, st, "out of memory");
        J->v[id].off = st;
        J->v[id].num = strtod(numbuf, NULL);
        if (isint) {
            errno = 0;
            J->v[id].i = strtoll(numbuf, NULL, 10);
            J->v[id].isint = errno == 0;
        }
        return id;
    }
    {
        static const char *const words[3] = {"true", "false", "null"};
        int w;
        for (w = 0; w < 3; w++) {
            size_t wl = strlen(words[w]);
            if (J->len - J->pos >= wl && !memcmp(J->src + J->pos, words[w], wl)) {
                id = sg__json_new(J, w == 2 ? SG__J_NULL : SG__J_BOOL);
                if (id < 0) return sg__json_fail(J, J->pos, "out of memory");
                J->v[id].i = w == 0;
                J->pos += wl;
                return id;
            }
        }
    }
    return sg__json_fail(J, J->pos, "unexpected character");
}
/* Parse src[0..len) into J. Returns the root index or -1 (J->err set). */
SG__INTERNAL int sg__json_parse(sg__json *J, const char *src, size_t len) {
    int root;
    memset(J, 0, sizeof *J);
    J->src = src;
    J->len = len;
    J->pool = (char *)sg__malloc(len + 1);
    if (!J->pool) { snprintf(J->err, sizeof J->err, "out of memory"); return -1; }
    root = sg__json_value(J, 0);
    if (root < 0) return -1;
    sg__json_ws(J);
    if (J->pos != J->len) return sg__json_fail(J, J->pos, "trailing characters after the JSON value");
    return root;
}
SG__INTERNAL void sg__json_free(sg__json *J) {
    sg__free(J->v);
    sg__free(J->pool);
    J->v = NULL;
    J->pool = NULL;
}

/* Writer: dmlc::JSONWriter's layout (spec 1.3). */
typedef struct sg__jw {
    sg__buf b;
    int multi[32];
    int count[32];
    int depth;
} sg__jw;
SG__INTERNAL void sg__jw_sep(sg__jw *w) {
    int i;
    if (w->depth == 0 || w->multi[w->depth - 1]) {
        sg__buf_put(&w->b, "\n", 1);
        for (i = 0; i < w->depth; i++) sg__buf_put(&w->b, "  ", 2);
    }
}
SG__INTERNAL void sg__jw_begin(sg__jw *w, int obj, int multi) {
    sg__buf_put(&w->b, obj ? "{" : "[", 1);
    w->multi[w->depth] = multi;
    w->count[w->depth] = 0;
    w->depth++;
}
SG__INTERNAL void sg__jw_end(sg__jw *w, int obj) {
    int had = w->count[w->depth - 1], multi = w->multi[w->depth - 1];
    w->depth--;
    if (multi && had) sg__jw_sep(w);
    sg__buf_put(&w->b, obj ? "}" : "]", 1);
}
SG__INTERNAL void sg__jw_str(sg__jw *w, const char *s) {
    const char *p;
    sg__buf_put(&w->b, "\"", 1);
    for (p = s; *p; p++) {
        switch (*p) {
        case '\r': sg__buf_put(&w->b, "\\r", 2); break;
        case '\n': sg__buf_put(&w->b, "\\n", 2); break;
        case '\\': sg__buf_put(&w->b, "\\\\", 2); break;
        case '\t': sg__buf_put(&w->b, "\\t", 2); break;
        case '"': sg__buf_put(&w->b, "\\\"", 2); break;
        default: sg__buf_put(&w->b, p, 1);
        }
    }
    sg__buf_put(&w->b, "\"", 1);
}
SG__INTERNAL void sg__jw_key(sg__jw *w, const char *k) {
    if (w->count[w->depth - 1] > 0) sg__buf_put(&w->b, ", ", 2);
    sg__jw_sep(w);
    sg__jw_str(w, k);
    sg__buf_put(&w->b, ": ", 2);
    w->count[w->depth - 1]++;
}
SG__INTERNAL void sg__jw_item(sg__jw *w) {
    if (w->count[w->depth - 1] > 0) sg__buf_put(&w->b, ", ", 2);
    w->count[w->depth - 1]++;
    sg__jw_sep(w);
}
SG__INTERNAL void sg__jw_int(sg__jw *w, long long v) { sg__buf_printf(&w->b, "%lld", v); }

/* ========================================================================== */
/* 3. Graph and symbols                                                       */
/* ========================================================================== */

/* ---- the operator registry's interface (definitions in section 4) ---- */
enum { SG__P_INT, SG__P_FLOAT, SG__P_BOOL, SG__P_TUPLE, SG__P_ENUM, SG__P_STR };
/* SG__PF_F64: a float MXNet declares double (no float32 range check) */
enum { SG__PF_OPT = 1, SG__PF_GE1 = 2, SG__PF_GE0 = 4, SG__PF_UNIT = 8, SG__PF_F64 = 16 };

typedef struct sg__pdef {
    const char *name;
    int type;
    const char *def;   /* default value text; NULL = required */
    const char *enums; /* "a|b|c" for SG__P_ENUM */
    int flags;         /* SG__PF_OPT: also accepts None */
} sg__pdef;

typedef struct sg__pval {
    int given; /* written by the user (present in the node's dict) */
    int none;  /* the value is None */
    long long i; /* INT, BOOL, ENUM index */
    double f;    /* FLOAT */
    int ndim;    /* TUPLE */
    long long t[SG_MAX_NDIM];
    const char *s; /* the text (points into the node's dict or the default) */
} sg__pval;

typedef struct sg__infer sg__infer;

/* Kernel context: what a CPU kernel may use while the executor runs it. */
typedef struct sg__kctx {
    sg_graph *g;        /* errors go to sg__seterr(k->g, ...) naming the node */
    int is_train;
    sg_rng *rng;        /* Dropout masks */
    void *ws;           /* the operator's workspace (its workspace() bytes) */
    size_t ws_bytes;
    float *gemm_ws;     /* SG__GEMM_WS_FLOATS floats for the blocked GEMM */
    int gemm;           /* SG_GEMM_* */
    int gemm_part;      /* gemm_parts > 0: a kernel's part run at once with others (sg__parallel); */
    int gemm_parts;     /* its GEMMs stay on its thread, in share gemm_part of gemm_ws (sg__sgemm_share) */
    void *state;        /* the node's own buffer (its op's state() bytes), kept from forward to backward */
    size_t state_bytes;
} sg__kctx;
/* A part of work split by sg__parallel: part p of `parts`. */
typedef void (*sg__task_fn)(void *ctx, int part, int parts);
/* forward: in = the node's inputs (auxiliary states included), out = all its
 * outputs (hidden ones included); outputs are written, never accumulated; an
 * operator marked inplace may get out[0]->data == in[0]->data.
 * backward: og = gradient of each output (NULL for hidden outputs or when the
 * output gets none), ig = gradient of each input (NULL when not wanted), written
 * or accumulated per req[i] (SG_REQ_WRITE / SG_REQ_ADD); in and out are the
 * forward values. Kernels never allocate. */
typedef int (*sg__fwd_fn)(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out);
typedef int (*sg__bwd_fn)(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                          sg_ndarray *const *out, sg_ndarray *const *ig, const int *req);
/* Workspace bytes the forward/backward kernels of n need for these shapes. */
typedef size_t (*sg__ws_fn)(const sg__node *n, const sg_shape *in, const sg_shape *out);

enum {
    SG__OF_ANYATTR = 1, /* no parameter parser: any key accepted */
    SG__OF_VARARG = 2,  /* inputs arg0..argN-1 from num_args, positional only */
    SG__OF_LOSS = 4,    /* backward ignores the head gradient */
    SG__OF_NOBIAS = 8   /* the last input "bias" is dropped when no_bias is true */
};

typedef struct sg__opdef {
    const char *name;
    const char *aliases;  /* space separated */
    const sg__pdef *params;
    int nparams;
    int flags;
    const char *inputs;   /* space-separated input names */
    int (*inputs_fn)(const sg__node *n, const char **names, char *scratch); /* dynamic list */
    int nout;             /* total number of outputs (node_row_ptr) */
    int (*nout_fn)(const sg__node *n);
    int (*nvis_fn)(const sg__node *n); /* visible outputs; NULL = 1 */
    const char *outputs;  /* space-separated output names; NULL = output / output<i> */
    unsigned mutate;      /* bitmask of inputs that are auxiliary states (FMutateInputs) */
    int (*mutate_fn)(const sg__node *n); /* dynamic mutate mask */
    int (*on_compose)(sg__node *n, int index, sg__node *var); /* FSetInputVarAttrOnCompose; 0: out of memory */
    int (*check)(sg_graph *g, const sg__node *n); /* extra parameter validation */
    int (*infer_shape)(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out);
    int (*infer_type)(sg__infer *c, const sg__node *n, int *in, int *out);
    int (*mkldnn_rows)(const sg__node *n); /* node_row_ptr count in MKLDNN builds */
    sg__fwd_fn forward;   /* CPU kernels; NULL: the operator cannot run */
    sg__bwd_fn backward;
    sg__ws_fn workspace;
    int inplace;          /* out[0] may share in[0]'s memory (same size and dtype) */
    int bwd_no_out;       /* backward does not read the outputs */
    sg__ws_fn state;      /* bytes the executor keeps per node from forward to backward (sg__kctx.state) */
} sg__opdef;

#define SG__MAX_INPUTS_STATIC 32
SG__INTERNAL const sg__opdef *sg__op_lookup(const char *name);
SG__INTERNAL int sg__op_parse(sg_graph *g, sg__node *n);
SG__INTERNAL int sg__node_num_inputs(const sg__node *n);
SG__INTERNAL const char *sg__node_input_name(const sg__node *n, int i, char *scratch);
SG__INTERNAL int sg__node_num_outputs(const sg__node *n);
SG__INTERNAL int sg__node_num_visible(const sg__node *n);
SG__INTERNAL unsigned sg__node_mutate(const sg__node *n);
SG__INTERNAL int sg__output_name(const sg__node *n, int i, sg__buf *b);

/* ---- graph ---- */
SG__DEF sg_graph *sg_graph_create(void) {
    sg_graph *g = (sg_graph *)sg__calloc(1, sizeof(sg_graph));
    if (!g) return NULL;
    g->mkldnn_rows = 1;
    if (!SG__GROW(g->names, g->capnames, 1)) { sg__free(g); return NULL; }
    memset(&g->names[0], 0, sizeof(sg__namemgr));
    g->nnames = 1;
    return g;
}
SG__INTERNAL void sg__node_free(sg__node *n) {
    if (!n) return;
    sg__free(n->name);
    sg__attrs_clear(&n->attrs);
    sg__free(n->in);
    sg__free(n->pv);
    sg__free(n);
}
SG__INTERNAL void sg__sym_free(sg_symbol *s) {
    int i;
    if (!s) return;
    for (i = 0; i < SG__L_COUNT; i++) sg__strs_clear(&s->lists[i]);
    sg__free(s->heads);
    sg__free(s);
}
SG__DEF void sg_graph_free(sg_graph *g) {
    int i;
    if (!g) return;
    for (i = 0; i < g->nnodes; i++) sg__node_free(g->nodes[i]);
    for (i = 0; i < g->nsyms; i++) sg__sym_free(g->syms[i]);
    for (i = 0; i < g->nnames; i++) { sg__free(g->names[i].prefix); sg__attrs_clear(&g->names[i].counters); }
    for (i = 0; i < g->nscopes; i++) sg__attrs_clear(&g->scopes[i]);
    for (i = 0; i < g->nretired; i++) sg__strs_clear(&g->retired[i]);
    sg__free(g->retired);
    sg__free(g->nodes);
    sg__free(g->syms);
    sg__free(g->names);
    sg__free(g->scopes);
    sg__free(g->json);
    sg__free(g);
}
SG__DEF const char *sg_graph_error(const sg_graph *g) { return g ? g->err : "no graph"; }
SG__DEF int sg_graph_status(const sg_graph *g) { return g ? g->status : SG_ERR_ARG; }
SG__DEF void sg_graph_clear_error(sg_graph *g) {
    if (!g) return;
    g->err[0] = 0;
    g->status = SG_OK;
}
SG__DEF void sg_graph_set_mkldnn_rows(sg_graph *g, int on) { if (g) g->mkldnn_rows = on != 0; }

SG__INTERNAL sg__node *sg__node_new(sg_graph *g, const sg__opdef *op, const char *name) {
    sg__node *n;
    if (!SG__GROW(g->nodes, g->capnodes, g->nnodes + 1)) { SG__NOMEM(g); return NULL; }
    n = (sg__node *)sg__calloc(1, sizeof(sg__node));
    if (!n) { SG__NOMEM(g); return NULL; }
    n->op = op;
    n->name = sg__strdup(name ? name : "");
    if (!n->name) { sg__free(n); SG__NOMEM(g); return NULL; }
    n->live = 1;
    g->nodes[g->nnodes++] = n;
    return n;
}
SG__INTERNAL sg_symbol *sg__sym_new(sg_graph *g, int nheads) {
    sg_symbol *s;
    if (!SG__GROW(g->syms, g->capsyms, g->nsyms + 1)) { SG__NOMEM(g); return NULL; }
    s = (sg_symbol *)sg__calloc(1, sizeof(sg_symbol));
    if (!s) { SG__NOMEM(g); return NULL; }
    s->heads = (sg__entry *)sg__calloc((size_t)(nheads > 0 ? nheads : 1), sizeof(sg__entry));
    if (!s->heads) { sg__free(s); SG__NOMEM(g); return NULL; }
    s->g = g;
    s->nheads = nheads;
    g->syms[g->nsyms++] = s;
    return s;
}
SG__INTERNAL sg_symbol *sg__sym_one(sg_graph *g, sg__node *n, int index, int version) {
    sg_symbol *s = sg__sym_new(g, 1);
    if (!s) return NULL;
    s->heads[0].node = n;
    s->heads[0].index = index;
    s->heads[0].version = version;
    return s;
}
/* A symbol of every visible output of node n (what creating an operator returns). */
SG__INTERNAL int sg__node_num_visible(const sg__node *n);
SG__INTERNAL sg_symbol *sg__sym_node(sg_graph *g, sg__node *n) {
    int i, nv = n->op ? sg__node_num_visible(n) : 1;
    sg_symbol *s = sg__sym_new(g, nv);
    if (!s) return NULL;
    for (i = 0; i < nv; i++) { s->heads[i].node = n; s->heads[i].index = i; s->heads[i].version = 0; }
    return s;
}
/* Validate a symbol argument: non-NULL and from this graph. */
SG__INTERNAL int sg__check_sym(sg_graph *g, const sg_symbol *s, const char *what) {
    if (!g) return SG_ERR_ARG;
    if (!s) {
        if (g->status != SG_OK) return g->status; /* keep the earlier error of a chain */
        return sg__seterr(g, SG_ERR_ARG, "%s: symbol is NULL", what);
    }
    if (s->g != g) return sg__seterr(g, SG_ERR_ARG, "%s: symbol belongs to another graph", what);
    return SG_OK;
}

/* ---- naming (mx.name.NameManager / Prefix) ---- */
SG__DEF int sg_name_push(sg_graph *g, const char *prefix) {
    if (!g) return SG_ERR_ARG;
    if (!SG__GROW(g->names, g->capnames, g->nnames + 1)) return SG__NOMEM(g);
    memset(&g->names[g->nnames], 0, sizeof(sg__namemgr));
    if (prefix && *prefix) {
        g->names[g->nnames].prefix = sg__strdup(prefix);
        if (!g->names[g->nnames].prefix) return SG__NOMEM(g);
    }
    g->nnames++;
    return SG_OK;
}
SG__DEF int sg_name_pop(sg_graph *g) {
    if (!g) return SG_ERR_ARG;
    if (g->nnames <= 1) return sg__seterr(g, SG_ERR_ARG, "sg_name_pop: no NameManager was pushed");
    g->nnames--;
    sg__free(g->names[g->nnames].prefix);
    sg__attrs_clear(&g->names[g->nnames].counters);
    return SG_OK;
}
/* NameManager.current.get(name, hint): a new string. */
SG__INTERNAL char *sg__name_get(sg_graph *g, const char *name, const char *hint) {
    sg__namemgr *m = &g->names[g->nnames - 1];
    char num[24], *base, *res;
    if (name && *name) {
        base = sg__strdup(name);
    } else {
        const char *c = sg__attrs_get(&m->counters, hint);
        long cnt = c ? atol(c) : 0;
        snprintf(num, sizeof num, "%ld", cnt);
        base = sg__cat(hint, num, NULL, NULL);
        snprintf(num, sizeof num, "%ld", cnt + 1);
        if (!base || !sg__attrs_set(&m->counters, hint, num)) { sg__free(base); base = NULL; }
    }
    if (!base) { SG__NOMEM(g); return NULL; }
    if (!m->prefix) return base;
    res = sg__cat(m->prefix, base, NULL, NULL);
    sg__free(base);
    if (!res) SG__NOMEM(g);
    return res;
}

/* ---- attribute scopes (mx.AttrScope) ---- */
SG__DEF int sg_attr_scope_push(sg_graph *g, const char *const *kv) {
    sg__attrs *s;
    int i;
    if (!g) return SG_ERR_ARG;
    if (!SG__GROW(g->scopes, g->capscopes, g->nscopes + 1)) return SG__NOMEM(g);
    s = &g->scopes[g->nscopes];
    memset(s, 0, sizeof *s);
    if (g->nscopes > 0 && !sg__attrs_copy(s, &g->scopes[g->nscopes - 1])) { sg__attrs_clear(s); return SG__NOMEM(g); }
    for (i = 0; kv && kv[i]; i += 2) {
        if (!kv[i + 1]) { sg__attrs_clear(s); return sg__seterr(g, SG_ERR_ARG, "AttrScope: attribute '%s' has no value", kv[i]); }
        if (!sg__attrs_set(s, kv[i], kv[i + 1])) { sg__attrs_clear(s); return SG__NOMEM(g); }
    }
    g->nscopes++;
    return SG_OK;
}
SG__DEF int sg_attr_scope_pop(sg_graph *g) {
    if (!g) return SG_ERR_ARG;
    if (g->nscopes <= 0) return sg__seterr(g, SG_ERR_ARG, "sg_attr_scope_pop: no AttrScope was pushed");
    g->nscopes--;
    sg__attrs_clear(&g->scopes[g->nscopes]);
    return SG_OK;
}

/* Store a user attribute on a node with MXNet's hidden-key rule. */
SG__INTERNAL int sg__set_user_attr(sg_graph *g, sg__node *n, const char *k, const char *v) {
    const char *hk;
    int r;
    if (!k || !v) return sg__seterr(g, SG_ERR_ARG, "node %s: attribute key or value is NULL", n->name);
    r = sg__hidden_rule(k, &hk);
    if (r < 0)
        return sg__seterr(g, SG_ERR_PARAM,
                          "node %s: setting variable attributes with %s is deprecated; use a Variable with %s=%s "
                          "and pass it as the input",
                          n->name, k, hk, v);
    if (r > 0) {
        char *key = sg__cat("__", k, "__", NULL);
        int ok = key && sg__attrs_set(&n->attrs, key, v);
        sg__free(key);
        return ok ? SG_OK : SG__NOMEM(g);
    }
    return sg__attrs_set(&n->attrs, k, v) ? SG_OK : SG__NOMEM(g);
}

/* ---- traversal ---- */
/* Post-order DFS from the heads, inputs in order (nnvm DFSVisit). Fills *order
 * (caller frees) with *n nodes. A cycle is SG_ERR_GRAPH naming a node on it. */
SG__INTERNAL int sg__dfs(sg_graph *g, const sg__entry *heads, int nheads, sg__node ***order, int *n) {
    sg__node **out = NULL, **stk = NULL;
    int *pos = NULL, nout = 0, capout = 0, capstk = 0, cappos = 0, sp = 0, h, i;
    for (i = 0; i < g->nnodes; i++) g->nodes[i]->mark = 0;
    for (h = 0; h < nheads; h++) {
        sg__node *root = heads[h].node;
        if (root->mark) continue;
        if (!SG__GROW(stk, capstk, sp + 1) || !SG__GROW(pos, cappos, sp + 1)) goto oom;
        stk[sp] = root; pos[sp] = 0; sp++;
        root->mark = 1;
        while (sp > 0) {
            sg__node *t = stk[sp - 1];
            if (pos[sp - 1] < t->nin) {
                sg__node *c = t->in[pos[sp - 1]++].node;
                if (c->mark == 1) {
                    sg__free(out); sg__free(stk); sg__free(pos);
                    return sg__seterr(g, SG_ERR_GRAPH, "the graph has a cycle through node '%s' (input of '%s')",
                                      c->name, t->name);
                }
                if (c->mark == 2) continue;
                if (!SG__GROW(stk, capstk, sp + 1) || !SG__GROW(pos, cappos, sp + 1)) goto oom;
                stk[sp] = c; pos[sp] = 0; sp++;
                c->mark = 1;
            } else {
                t->mark = 2;
                if (!SG__GROW(out, capout, nout + 1)) goto oom;
                out[nout++] = t;
                sp--;
            }
        }
    }
    sg__free(stk);
    sg__free(pos);
    *order = out;
    *n = nout;
    return SG_OK;
oom:
    sg__free(out); sg__free(stk); sg__free(pos);
    return SG__NOMEM(g);
}

/* The auxiliary-state set: marks every variable mutated by some op (mark=3). */
SG__INTERNAL void sg__mark_aux(sg__node **order, int n) {
    int i, j;
    for (i = 0; i < n; i++) order[i]->mark = 0;
    for (i = 0; i < n; i++) {
        unsigned m;
        if (!order[i]->op) continue;
        m = sg__node_mutate(order[i]);
        for (j = 0; j < order[i]->nin && j < 32; j++)
            if (m & (1u << j)) order[i]->in[j].node->mark = 3;
    }
}

/* ---- variables ---- */
SG__INTERNAL int sg__fmt_tuple(char *buf, size_t sz, int ndim, const int64_t *d) {
    size_t n = 0;
    int i;
    n += (size_t)snprintf(buf + n, sz - n, "(");
    for (i = 0; i < ndim && n < sz; i++)
        n += (size_t)snprintf(buf + n, sz - n, i ? ", %lld" : "%lld", (long long)d[i]);
    if (n < sz) n += (size_t)snprintf(buf + n, sz - n, ndim == 1 ? ",)" : ")");
    return n < sz;
}

SG__DEF sg_symbol *sg_variable_ex(sg_graph *g, const char *name, const sg_var_opts *o) {
    sg__node *n;
    int i, st;
    if (!g) return NULL;
    if (!name || !*name) { sg__seterr(g, SG_ERR_ARG, "Variable: a name is required"); return NULL; }
    n = sg__node_new(g, NULL, name);
    if (!n) return NULL;
    /* AttrScope.current.get(attr): scope first, explicit attr wins */
    if (g->nscopes > 0) {
        const sg__attrs *sc = &g->scopes[g->nscopes - 1];
        for (i = 0; i < sc->n; i++)
            if ((st = sg__set_user_attr(g, n, sc->kv[i].k, sc->kv[i].v)) != SG_OK) return NULL;
    }
    if (o && o->attr)
        for (i = 0; o->attr[i]; i += 2)
            if ((st = sg__set_user_attr(g, n, o->attr[i], o->attr[i + 1])) != SG_OK) return NULL;
    if (o) {
        char buf[SG_MAX_NDIM * 24 + 8];
        if (o->shape_ndim > 0) {
            if (o->shape_ndim > SG_MAX_NDIM || !o->shape) {
                sg__seterr(g, SG_ERR_ARG, "Variable %s: shape has %d dims (at most %d)", name, o->shape_ndim, SG_MAX_NDIM);
                return NULL;
            }
            for (i = 0; i < o->shape_ndim; i++)
                if (o->shape[i] < 0) {
                    sg__seterr(g, SG_ERR_ARG, "Variable %s: shape dim %d is %lld", name, i, (long long)o->shape[i]);
                    return NULL;
                }
            sg__fmt_tuple(buf, sizeof buf, o->shape_ndim, o->shape);
            if (!sg__attrs_set(&n->attrs, "__shape__", buf)) { SG__NOMEM(g); return NULL; }
        }
        if (o->lr_mult && !sg__attrs_set(&n->attrs, "__lr_mult__", o->lr_mult)) { SG__NOMEM(g); return NULL; }
        if (o->wd_mult && !sg__attrs_set(&n->attrs, "__wd_mult__", o->wd_mult)) { SG__NOMEM(g); return NULL; }
        if (o->dtype) {
            int code = sg_dtype_from_name(o->dtype);
            if (code < 0) { sg__seterr(g, SG_ERR_ARG, "Variable %s: unknown dtype '%s'", name, o->dtype); return NULL; }
            snprintf(buf, sizeof buf, "%d", code);
            if (!sg__attrs_set(&n->attrs, "__dtype__", buf)) { SG__NOMEM(g); return NULL; }
        }
        if (o->init && !sg__attrs_set(&n->attrs, "__init__", o->init)) { SG__NOMEM(g); return NULL; }
        if (o->stype) {
            const char *code = !strcmp(o->stype, "default") ? "0" : !strcmp(o->stype, "row_sparse") ? "1"
                             : !strcmp(o->stype, "csr") ? "2" : NULL;
            if (!code) { sg__seterr(g, SG_ERR_ARG, "Variable %s: unknown storage type '%s'", name, o->stype); return NULL; }
            if (!sg__attrs_set(&n->attrs, "__storage_type__", code)) { SG__NOMEM(g); return NULL; }
        }
    }
    return sg__sym_one(g, n, 0, 0);
}
SG__DEF sg_symbol *sg_variable(sg_graph *g, const char *name) { return sg_variable_ex(g, name, NULL); }

/* ---- operators ---- */
SG__INTERNAL sg__node *sg__atomic_node(sg_graph *g, const char *opname, const char *const *params,
                                       const char *const *attr, const char *name) {
    const sg__opdef *op;
    sg__node *n;
    int i;
    if (!opname) { sg__seterr(g, SG_ERR_ARG, "operator name is NULL"); return NULL; }
    op = sg__op_lookup(opname);
    if (!op) {
        sg__seterr(g, SG_ERR_UNKNOWN_OP, "Operator %s is not registered (node '%s')", opname, name ? name : "");
        return NULL;
    }
    n = sg__node_new(g, op, name);
    if (!n) return NULL;
    for (i = 0; params && params[i]; i += 2) {
        const char *hk;
        int r;
        if (!params[i + 1]) {
            sg__seterr(g, SG_ERR_PARAM, "Operator %s (%s): parameter '%s' has no value", n->name, op->name, params[i]);
            return NULL;
        }
        r = sg__hidden_rule(params[i], &hk);
        if (r != 0) {
            if (sg__set_user_attr(g, n, params[i], params[i + 1]) != SG_OK) return NULL;
            continue;
        }
        if (sg__attrs_get(&n->attrs, params[i])) {
            sg__seterr(g, SG_ERR_PARAM, "Operator %s (%s): parameter '%s' given twice", n->name, op->name, params[i]);
            return NULL;
        }
        if (!sg__attrs_set(&n->attrs, params[i], params[i + 1])) { SG__NOMEM(g); return NULL; }
    }
    /* unknown parameters: only operators with a parameter parser check them */
    if (!(op->flags & SG__OF_ANYATTR)) {
        for (i = 0; i < n->attrs.n; i++) {
            const char *k = n->attrs.kv[i].k;
            int j, found = 0;
            if (sg__is_dunder(k)) continue;
            for (j = 0; j < op->nparams; j++)
                if (!strcmp(op->params[j].name, k)) { found = 1; break; }
            if (!found) {
                sg__buf b = {NULL, 0, 0, 0};
                for (j = 0; j < op->nparams; j++) { sg__buf_puts(&b, j ? ", " : ""); sg__buf_puts(&b, op->params[j].name); }
                sg__seterr(g, SG_ERR_PARAM, "Operator %s (%s): unknown parameter '%s' (value '%s'); parameters are: %s",
                           n->name, op->name, k, n->attrs.kv[i].v, b.p ? b.p : "(none)");
                sg__free(b.p);
                return NULL;
            }
        }
    }
    /* user attributes: AttrScope first, then explicit; never a parameter name */
    for (i = 0; i < (g->nscopes > 0 ? g->scopes[g->nscopes - 1].n : 0) + 0; i++) {
        const sg__kv *kv = &g->scopes[g->nscopes - 1].kv[i];
        if (sg__attrs_get(&n->attrs, kv->k)) continue; /* an explicit parameter wins */
        if (sg__set_user_attr(g, n, kv->k, kv->v) != SG_OK) return NULL;
    }
    for (i = 0; attr && attr[i]; i += 2) {
        int j;
        if (!attr[i + 1]) {
            sg__seterr(g, SG_ERR_ARG, "Operator %s (%s): attribute '%s' has no value", n->name, op->name, attr[i]);
            return NULL;
        }
        for (j = 0; j < op->nparams; j++)
            if (!strcmp(op->params[j].name, attr[i])) {
                sg__seterr(g, SG_ERR_PARAM, "Operator %s (%s): attribute '%s' is a parameter of %s; pass it as a parameter",
                           n->name, op->name, attr[i], op->name);
                return NULL;
            }
        if (sg__set_user_attr(g, n, attr[i], attr[i + 1]) != SG_OK) return NULL;
    }
    if (sg__op_parse(g, n) != SG_OK) return NULL;
    return n;
}

SG__DEF sg_symbol *sg_op_atomic(sg_graph *g, const char *op, const char *const *params, const char *const *attr) {
    sg__node *n;
    if (!g) return NULL;
    n = sg__atomic_node(g, op, params, attr, "");
    if (!n) return NULL;
    return sg__sym_node(g, n);
}

/* nnvm UpdateNodeVersion */
SG__INTERNAL int sg__update_versions(sg_graph *g, sg__node *n) {
    unsigned m = sg__node_mutate(n);
    int i;
    for (i = 0; i < n->nin; i++)
        if (!n->in[i].node->op) n->in[i].version = n->in[i].node->version;
    for (i = 0; i < n->nin && i < 32; i++) {
        if (!(m & (1u << i))) continue;
        if (n->in[i].node->op)
            return sg__seterr(g, SG_ERR_GRAPH, "Operator %s (%s): input %d is an auxiliary state and must be a Variable, "
                              "not the output of '%s'", n->name, n->op->name, i, n->in[i].node->name);
        n->in[i].version = ++n->in[i].node->version;
    }
    return SG_OK;
}

/* Keyword-mismatch message (nnvm KeywordArgumentMismatch). */
SG__INTERNAL int sg__kw_mismatch(sg_graph *g, const char *where, int nkeys, const char *const *keys,
                                 const char *const *cands, int ncands) {
    sg__buf b = {NULL, 0, 0, 0};
    int i, j;
    for (i = 0; i < nkeys; i++) {
        int found = 0;
        for (j = 0; j < ncands; j++)
            if (keys[i] && !strcmp(keys[i], cands[j])) found = 1;
        if (found) continue;
        sg__buf_printf(&b, "%s: Keyword argument name %s not found.\nCandidate arguments:\n", where, keys[i] ? keys[i] : "(null)");
        for (j = 0; j < ncands; j++) sg__buf_printf(&b, "\t[%d]%s\n", j, cands[j]);
        break;
    }
    if (!b.p) sg__buf_printf(&b, "%s: a keyword argument was matched more than once", where);
    sg__seterr(g, SG_ERR_ARG, "%s", b.p ? b.p : "keyword argument mismatch");
    sg__free(b.p);
    return SG_ERR_ARG;
}

/* Compose an atomic node with inputs (nnvm Symbol::Compose, atomic branch). */
SG__INTERNAL int sg__compose_atomic(sg_graph *g, sg__node *n, const char *name, int nargs,
                                    const char *const *keys, sg_symbol *const *args) {
    int nreq, i, j, nmatched = 0, npos = 0, nkw = 0;
    const char *names[SG__MAX_INPUTS_STATIC];
    char scratch[SG__MAX_INPUTS_STATIC * 16];
    sg__entry *in;
    if (n->composed)
        return sg__seterr(g, SG_ERR_ARG, "Operator %s (%s) is already composed", n->name, n->op->name);
    sg__free(n->name);
    n->name = sg__strdup(name ? name : "");
    if (!n->name) return SG__NOMEM(g);
    for (i = 0; i < nargs; i++) {
        int st;
        if (args[i] == NULL && g->status == SG_OK) continue; /* "not given" */
        if ((st = sg__check_sym(g, args[i], n->name)) != SG_OK) return st;
        if (args[i]->nheads != 1)
            return sg__seterr(g, SG_ERR_ARG, "Operator %s (%s): argument %d (%s) has %d outputs; a single output is required",
                              n->name, n->op->name, i, keys && keys[i] ? keys[i] : "positional", args[i]->nheads);
    }
    if (n->op->flags & SG__OF_VARARG) {
        if (keys) {
            for (i = 0; i < nargs; i++)
                if (keys[i]) return sg__seterr(g, SG_ERR_ARG, "Operator %s (%s): variable-length operators take positional "
                                               "inputs only (got keyword '%s')", n->name, n->op->name, keys[i]);
        }
        nreq = sg__node_num_inputs(n);
        if (nreq != nargs)
            return sg__seterr(g, SG_ERR_GRAPH, "Operator %s (%s): num_args is %d but %d inputs were given",
                              n->name, n->op->name, nreq, nargs);
        for (i = 0; i < nargs; i++)
            if (!args[i]) return sg__seterr(g, SG_ERR_ARG, "Operator %s (%s): input %d is NULL", n->name, n->op->name, i);
    }
    nreq = sg__node_num_inputs(n);
    if (nreq > SG__MAX_INPUTS_STATIC && !(n->op->flags & SG__OF_VARARG))
        return sg__seterr(g, SG_ERR_GRAPH, "Operator %s: too many inputs", n->name);
    if (!(n->op->flags & SG__OF_VARARG))
        for (i = 0; i < nreq; i++) names[i] = sg__node_input_name(n, i, scratch + 16 * i);
    if (keys) { for (i = 0; i < nargs; i++) if (args[i]) nkw++; }
    else {
        npos = nargs;
        if (npos > nreq)
            return sg__seterr(g, SG_ERR_ARG, "Operator %s (%s): incorrect number of arguments, requires %d, provided %d",
                              n->name, n->op->name, nreq, npos);
    }
    in = (sg__entry *)sg__calloc((size_t)(nreq > 0 ? nreq : 1), sizeof(sg__entry));
    if (!in) return SG__NOMEM(g);
    for (i = 0; i < npos; i++)
        if (args[i]) in[i] = args[i]->heads[0];
    if (!(n->op->flags & SG__OF_VARARG)) {
        for (i = 0; i < nreq; i++) {
            if (in[i].node) continue;
            for (j = 0; keys && j < nargs; j++)
                if (args[j] && keys[j] && !strcmp(keys[j], names[i])) { in[i] = args[j]->heads[0]; nmatched++; break; }
            if (!in[i].node) {
                char *vname = n->name[0] ? sg__cat(n->name, "_", names[i], NULL) : sg__strdup(names[i]);
                sg__node *v = vname ? sg__node_new(g, NULL, vname) : NULL;
                sg__free(vname);
                if (v) v->origin = n->op;
                if (!v || !sg__attrs_copy(&v->attrs, &n->attrs)) { sg__free(in); if (v) SG__NOMEM(g); else if (!vname) SG__NOMEM(g); return g->status ? g->status : SG_ERR_NOMEM; }
                in[i].node = v;
            }
        }
        if (nmatched != nkw) {
            sg__free(in);
            return sg__kw_mismatch(g, "Symbol.Compose", nargs, keys, names, nreq);
        }
    }
    n->in = in;
    n->nin = nreq;
    n->composed = 1;
    if (sg__update_versions(g, n) != SG_OK) return g->status;
    if (n->op->on_compose)
        for (i = 0; i < n->nin; i++)
            if (!n->in[i].node->op && !n->op->on_compose(n, i, n->in[i].node)) return SG__NOMEM(g);
    return SG_OK;
}

/* Lower-cased operator name as given: the NameManager hint. */
SG__INTERNAL void sg__hint(const char *op, char *buf, size_t sz) {
    size_t i;
    for (i = 0; op[i] && i + 1 < sz; i++) buf[i] = (char)((op[i] >= 'A' && op[i] <= 'Z') ? op[i] - 'A' + 'a' : op[i]);
    buf[i] = 0;
}

SG__DEF sg_symbol *sg_op_ex(sg_graph *g, const char *op, const char *name, const char *const *params,
                            const char *const *attr, int ninputs, sg_symbol *const *inputs,
                            const char *const *input_names) {
    char hint[128], *nm;
    sg__node *n;
    int i;
    if (!g) return NULL;
    if (ninputs < 0 || (ninputs > 0 && !inputs)) { sg__seterr(g, SG_ERR_ARG, "%s: bad input list", op ? op : "op"); return NULL; }
    for (i = 0; i < ninputs; i++)
        if (!inputs[i] && g->status != SG_OK) return NULL; /* an earlier error in the chain */
    if (!op) { sg__seterr(g, SG_ERR_ARG, "operator name is NULL"); return NULL; }
    sg__hint(op, hint, sizeof hint);
    nm = sg__name_get(g, name, hint);
    if (!nm) return NULL;
    {   /* Python adds num_args = len(inputs) for variable-length operators */
        const sg__opdef *od = sg__op_lookup(op);
        int np = 0, has = 0;
        const char **p2;
        for (i = 0; params && params[i]; i += 2) { np++; if (!strcmp(params[i], "num_args")) has = 1; }
        if (od && (od->flags & SG__OF_VARARG) && !has) {
            char na[24];
            snprintf(na, sizeof na, "%d", ninputs);
            p2 = (const char **)sg__calloc((size_t)(2 * np + 3), sizeof(char *));
            if (!p2) { sg__free(nm); SG__NOMEM(g); return NULL; }
            for (i = 0; i < 2 * np; i++) p2[i] = params[i];
            p2[2 * np] = "num_args";
            p2[2 * np + 1] = na;
            n = sg__atomic_node(g, op, p2, attr, nm);
            sg__free((void *)p2);
        } else {
            n = sg__atomic_node(g, op, params, attr, nm);
        }
    }
    if (!n) { sg__free(nm); return NULL; }
    if (sg__compose_atomic(g, n, nm, ninputs, input_names, inputs) != SG_OK) { sg__free(nm); return NULL; }
    sg__free(nm);
    return sg__sym_node(g, n);
}
SG__DEF sg_symbol *sg_op(sg_graph *g, const char *op, const char *name, const char *const *params, int ninputs,
                         sg_symbol *const *inputs, const char *const *input_names) {
    return sg_op_ex(g, op, name, params, NULL, ninputs, inputs, input_names);
}

/* ---- copy and general compose ---- */
SG__INTERNAL sg__node *sg__single_head(const sg_symbol *s);
/* Deep copy of every node reachable from heads; map old->new through node->id. */
SG__INTERNAL sg_symbol *sg__copy(sg_graph *g, const sg_symbol *s) {
    sg__node **order = NULL, **nw = NULL;
    int n = 0, i, j;
    sg_symbol *r;
    if (sg__dfs(g, s->heads, s->nheads, &order, &n) != SG_OK) return NULL;
    nw = (sg__node **)sg__calloc((size_t)(n ? n : 1), sizeof(sg__node *));
    if (!nw) { sg__free(order); SG__NOMEM(g); return NULL; }
    for (i = 0; i < n; i++) order[i]->id = i;
    for (i = 0; i < n; i++) {
        sg__node *o = order[i], *c = sg__node_new(g, o->op, o->name);
        if (!c || !sg__attrs_copy(&c->attrs, &o->attrs)) goto fail;
        c->composed = o->composed;
        c->version = o->version;
        c->origin = o->origin;
        if (o->op && sg__op_parse(g, c) != SG_OK) goto fail;
        if (o->nin) {
            c->in = (sg__entry *)sg__calloc((size_t)o->nin, sizeof(sg__entry));
            if (!c->in) goto fail;
            c->nin = o->nin;
            for (j = 0; j < o->nin; j++) {
                c->in[j] = o->in[j];
                c->in[j].node = nw[o->in[j].node->id];
            }
        }
        nw[i] = c;
    }
    r = sg__sym_new(g, s->nheads);
    if (!r) goto fail2;
    for (i = 0; i < s->nheads; i++) {
        r->heads[i] = s->heads[i];
        r->heads[i].node = nw[s->heads[i].node->id];
    }
    sg__free(order);
    sg__free(nw);
    return r;
fail:
    if (g->status == SG_OK) SG__NOMEM(g);
fail2:
    sg__free(order);
    sg__free(nw);
    return NULL;
}
SG__DEF sg_symbol *sg_copy(sg_graph *g, const sg_symbol *s) {
    if (sg__check_sym(g, s, "copy") != SG_OK) return NULL;
    return sg__copy(g, s);
}

SG__DEF sg_symbol *sg_compose(sg_graph *g, const sg_symbol *s, const char *name, int nargs, const char *const *keys,
                              sg_symbol *const *args) {
    sg_symbol *c;
    sg__node **order = NULL;
    int n = 0, i, j, k, nmatched = 0;
    if (sg__check_sym(g, s, "compose") != SG_OK) return NULL;
    for (i = 0; i < nargs; i++) {
        if (sg__check_sym(g, args[i], "compose") != SG_OK) return NULL;
        if (args[i]->nheads != 1) {
            sg__seterr(g, SG_ERR_ARG, "compose: argument %s is a group of %d outputs; a single value is required",
                       keys && keys[i] ? keys[i] : "?", args[i]->nheads);
            return NULL;
        }
    }
    c = sg__copy(g, s);
    if (!c) return NULL;
    if (sg__single_head(c) && c->heads[0].node->op && !c->heads[0].node->composed) {
        if (sg__compose_atomic(g, c->heads[0].node, name, nargs, keys, args) != SG_OK) return NULL;
        return c;
    }
    if (nargs > 0 && !keys) {
        sg__seterr(g, SG_ERR_ARG, "compose: general composition takes keyword arguments only");
        return NULL;
    }
    if (sg__dfs(g, c->heads, c->nheads, &order, &n) != SG_OK) return NULL;
    /* count matches: every variable whose name is a key */
    for (i = 0; i < n; i++)
        if (!order[i]->op)
            for (k = 0; k < nargs; k++)
                if (keys[k] && !strcmp(keys[k], order[i]->name)) { nmatched++; break; }
    if (nmatched != nargs) {
        const char **cands = (const char **)sg__calloc((size_t)(n ? n : 1), sizeof(char *));
        int nc = 0;
        if (!cands) { sg__free(order); SG__NOMEM(g); return NULL; }
        for (i = 0; i < n; i++) if (!order[i]->op) cands[nc++] = order[i]->name;
        sg__kw_mismatch(g, "Symbol.Compose", nargs, keys, cands, nc);
        sg__free(cands);
        sg__free(order);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        sg__node *t = order[i];
        int repl = 0;
        for (j = 0; j < t->nin; j++) {
            if (t->in[j].node->op) continue;
            for (k = 0; k < nargs; k++)
                if (!strcmp(keys[k], t->in[j].node->name)) { t->in[j] = args[k]->heads[0]; repl = 1; break; }
        }
        if (repl && t->op && sg__update_versions(g, t) != SG_OK) { sg__free(order); return NULL; }
    }
    for (i = 0; i < c->nheads; i++) /* a head that was itself a replaced variable */
        if (!c->heads[i].node->op)
            for (k = 0; k < nargs; k++)
                if (!strcmp(keys[k], c->heads[i].node->name)) { c->heads[i] = args[k]->heads[0]; break; }
    sg__free(order);
    if (name && *name) {
        char *nn = sg__strdup(name);
        if (!nn) { SG__NOMEM(g); return NULL; }
        sg__free(c->heads[0].node->name);
        c->heads[0].node->name = nn;
    }
    return c;
}

/* ---- arithmetic ---- */
SG__INTERNAL sg_symbol *sg__binary(sg_graph *g, const char *op, sg_symbol *a, sg_symbol *b) {
    sg_symbol *in[2];
    if (sg__check_sym(g, a, op) != SG_OK || sg__check_sym(g, b, op) != SG_OK) return NULL;
    in[0] = a; in[1] = b;
    return sg_op(g, op, NULL, NULL, 2, in, NULL);
}
SG__INTERNAL sg_symbol *sg__scalar(sg_graph *g, const char *op, sg_symbol *a, const char *s) {
    const char *p[3];
    if (sg__check_sym(g, a, op) != SG_OK) return NULL;
    if (!s) { sg__seterr(g, SG_ERR_ARG, "%s: scalar is NULL", op); return NULL; }
    p[0] = "scalar"; p[1] = s; p[2] = NULL;
    return sg_op(g, op, NULL, p, 1, &a, NULL);
}
SG__DEF sg_symbol *sg_add(sg_graph *g, sg_symbol *a, sg_symbol *b) { return sg__binary(g, "_Plus", a, b); }
SG__DEF sg_symbol *sg_sub(sg_graph *g, sg_symbol *a, sg_symbol *b) { return sg__binary(g, "_Minus", a, b); }
SG__DEF sg_symbol *sg_mul(sg_graph *g, sg_symbol *a, sg_symbol *b) { return sg__binary(g, "_Mul", a, b); }
SG__DEF sg_symbol *sg_div(sg_graph *g, sg_symbol *a, sg_symbol *b) { return sg__binary(g, "_Div", a, b); }
SG__DEF sg_symbol *sg_pow(sg_graph *g, sg_symbol *a, sg_symbol *b) { return sg__binary(g, "_Power", a, b); }
SG__DEF sg_symbol *sg_add_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_PlusScalar", a, s); }
SG__DEF sg_symbol *sg_sub_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_MinusScalar", a, s); }
SG__DEF sg_symbol *sg_rsub_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_RMinusScalar", a, s); }
SG__DEF sg_symbol *sg_mul_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_MulScalar", a, s); }
SG__DEF sg_symbol *sg_div_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_DivScalar", a, s); }
SG__DEF sg_symbol *sg_rdiv_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_RDivScalar", a, s); }
SG__DEF sg_symbol *sg_pow_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_PowerScalar", a, s); }
SG__DEF sg_symbol *sg_rpow_scalar(sg_graph *g, sg_symbol *a, const char *s) { return sg__scalar(g, "_rpower_scalar", a, s); }
SG__DEF sg_symbol *sg_negative(sg_graph *g, sg_symbol *a) { return sg__scalar(g, "_MulScalar", a, "-1.0"); }

/* ---- typed constructors ---- */
SG__DEF sg_symbol *sg_fully_connected(sg_graph *g, const char *name, sg_symbol *data, int num_hidden) {
    char nh[24];
    snprintf(nh, sizeof nh, "%d", num_hidden);
    return sg_op(g, "FullyConnected", name, SG_KV("num_hidden", nh), 1, &data, NULL);
}
SG__DEF sg_symbol *sg_activation(sg_graph *g, const char *name, sg_symbol *data, const char *act_type) {
    return sg_op(g, "Activation", name, SG_KV("act_type", act_type ? act_type : "(null)"), 1, &data, NULL);
}
SG__DEF sg_symbol *sg_convolution(sg_graph *g, const char *name, sg_symbol *data, int kh, int kw, int num_filter,
                                  int stride, int pad) {
    char k[48], s[48], p[48], f[24];
    snprintf(k, sizeof k, "(%d, %d)", kh, kw);
    snprintf(s, sizeof s, "(%d, %d)", stride, stride);
    snprintf(p, sizeof p, "(%d, %d)", pad, pad);
    snprintf(f, sizeof f, "%d", num_filter);
    return sg_op(g, "Convolution", name, SG_KV("kernel", k, "num_filter", f, "stride", s, "pad", p), 1, &data, NULL);
}
SG__DEF sg_symbol *sg_pooling(sg_graph *g, const char *name, sg_symbol *data, const char *pool_type, int kernel,
                              int stride) {
    char k[48], s[48];
    snprintf(k, sizeof k, "(%d, %d)", kernel, kernel);
    snprintf(s, sizeof s, "(%d, %d)", stride, stride);
    return sg_op(g, "Pooling", name, SG_KV("kernel", k, "pool_type", pool_type ? pool_type : "max", "stride", s), 1,
                 &data, NULL);
}
SG__DEF sg_symbol *sg_batch_norm(sg_graph *g, const char *name, sg_symbol *data) {
    return sg_op(g, "BatchNorm", name, NULL, 1, &data, NULL);
}
SG__DEF sg_symbol *sg_flatten(sg_graph *g, const char *name, sg_symbol *data) {
    return sg_op(g, "Flatten", name, NULL, 1, &data, NULL);
}
SG__DEF sg_symbol *sg_dropout(sg_graph *g, const char *name, sg_symbol *data, const char *p) {
    return sg_op(g, "Dropout", name, p ? SG_KV("p", p) : NULL, 1, &data, NULL);
}
SG__DEF sg_symbol *sg_softmax_output(sg_graph *g, const char *name, sg_symbol *data, sg_symbol *label) {
    sg_symbol *in[2];
    in[0] = data; in[1] = label;
    return sg_op(g, "SoftmaxOutput", name, NULL, label ? 2 : 1, in, NULL);
}
SG__DEF sg_symbol *sg_linear_regression_output(sg_graph *g, const char *name, sg_symbol *data, sg_symbol *label) {
    sg_symbol *in[2];
    in[0] = data; in[1] = label;
    return sg_op(g, "LinearRegressionOutput", name, NULL, label ? 2 : 1, in, NULL);
}
SG__DEF sg_symbol *sg_concat(sg_graph *g, const char *name, int n, sg_symbol *const *inputs, int dim) {
    char na[24], d[24];
    snprintf(na, sizeof na, "%d", n);
    snprintf(d, sizeof d, "%d", dim);
    return sg_op(g, "Concat", name, SG_KV("dim", d, "num_args", na), n, inputs, NULL);
}
SG__DEF sg_symbol *sg_cast(sg_graph *g, const char *name, sg_symbol *data, const char *dtype) {
    return sg_op(g, "Cast", name, SG_KV("dtype", dtype ? dtype : "(null)"), 1, &data, NULL);
}

/* ---- listings ---- */
/* Install a freshly computed listing. An unchanged listing keeps its old
 * strings, and a changed one retires the old strings to the graph (freed with
 * it), so pointers from earlier calls stay valid for the graph's lifetime. */
SG__INTERNAL int sg__set_list(sg_graph *g, sg_symbol *s, int which, sg__strs *tmp) {
    sg__strs *old = &s->lists[which];
    int i, same = old->v && old->n == tmp->n;
    for (i = 0; same && i < tmp->n; i++) same = !strcmp(old->v[i], tmp->v[i]);
    if (same) { sg__strs_clear(tmp); return SG_OK; }
    if (old->v) {
        if (SG__GROW(g->retired, g->capretired, g->nretired + 1)) g->retired[g->nretired++] = *old;
        else sg__strs_clear(old);
    }
    s->lists[which] = *tmp;
    return SG_OK;
}
SG__INTERNAL int sg__strs_push(sg__strs *l, int *cap, const char *v) {
    char *d = sg__strdup(v ? v : "");
    if (!d || !SG__GROW(l->v, *cap, l->n + 1)) { sg__free(d); return 0; }
    l->v[l->n++] = d;
    return 1;
}
/* kind: 0 arguments, 1 aux states, 2 all inputs */
SG__INTERNAL int sg__list_vars(sg_graph *g, const sg_symbol *cs, int kind, const char *const **names, int *n) {
    sg_symbol *s = (sg_symbol *)cs;
    sg__node **order = NULL;
    int no = 0, i, cap = 0, st;
    sg__strs l = {NULL, 0};
    if (names) *names = NULL;
    if (n) *n = 0;
    if ((st = sg__check_sym(g, s, "list")) != SG_OK) return st;
    if (!names || !n) return sg__seterr(g, SG_ERR_ARG, "list: NULL output pointer");
    if ((st = sg__dfs(g, s->heads, s->nheads, &order, &no)) != SG_OK) return st;
    sg__mark_aux(order, no);
    for (i = 0; i < no; i++) {
        sg__node *t = order[i];
        if (t->op) continue;
        if (kind == 0 && t->mark == 3) continue;
        if (kind == 1 && t->mark != 3) continue;
        if (!sg__strs_push(&l, &cap, t->name)) { sg__free(order); sg__strs_clear(&l); return SG__NOMEM(g); }
    }
    sg__free(order);
    i = kind == 0 ? SG__L_ARGS : kind == 1 ? SG__L_AUX : SG__L_INPUTS;
    sg__set_list(g, s, i, &l);
    *names = (const char *const *)s->lists[i].v;
    *n = s->lists[i].n;
    return SG_OK;
}
SG__DEF int sg_list_arguments(sg_graph *g, const sg_symbol *s, const char *const **names, int *n) {
    return sg__list_vars(g, s, 0, names, n);
}
SG__DEF int sg_list_auxiliary_states(sg_graph *g, const sg_symbol *s, const char *const **names, int *n) {
    return sg__list_vars(g, s, 1, names, n);
}
SG__DEF int sg_list_inputs(sg_graph *g, const sg_symbol *s, const char *const **names, int *n) {
    return sg__list_vars(g, s, 2, names, n);
}
/* The name of output entry e (nnvm ListOutputNames). */
SG__INTERNAL int sg__entry_name(const sg__entry *e, sg__buf *b) {
    if (!e->node->op) { sg__buf_puts(b, e->node->name); return !b->oom; }
    sg__buf_puts(b, e->node->name);
    sg__buf_puts(b, "_");
    return sg__output_name(e->node, e->index, b);
}
SG__DEF int sg_list_outputs(sg_graph *g, const sg_symbol *cs, const char *const **names, int *n) {
    sg_symbol *s = (sg_symbol *)cs;
    sg__strs l = {NULL, 0};
    int i, cap = 0, st;
    if (names) *names = NULL;
    if (n) *n = 0;
    if ((st = sg__check_sym(g, s, "list_outputs")) != SG_OK) return st;
    if (!names || !n) return sg__seterr(g, SG_ERR_ARG, "list_outputs: NULL output pointer");
    for (i = 0; i < s->nheads; i++) {
        sg__buf b = {NULL, 0, 0, 0};
        if (!sg__entry_name(&s->heads[i], &b) || !sg__strs_push(&l, &cap, b.p)) {
            sg__free(b.p);
            sg__strs_clear(&l);
            return SG__NOMEM(g);
        }
        sg__free(b.p);
    }
    sg__set_list(g, s, SG__L_OUTS, &l);
    *names = (const char *const *)s->lists[SG__L_OUTS].v;
    *n = s->lists[SG__L_OUTS].n;
    return SG_OK;
}

SG__DEF int sg_num_outputs(const sg_symbol *s) { return s ? s->nheads : 0; }
SG__DEF const char *sg_symbol_name(const sg_symbol *s) {
    int i;
    if (!s || s->nheads < 1) return NULL;
    for (i = 1; i < s->nheads; i++)
        if (s->heads[i].node != s->heads[0].node) return NULL;
    return s->heads[0].node->name;
}

SG__DEF sg_symbol *sg_group(sg_graph *g, int n, sg_symbol *const *syms) {
    int i, total = 0, k = 0;
    sg_symbol *r;
    if (!g) return NULL;
    if (n <= 0 || !syms) { sg__seterr(g, SG_ERR_ARG, "Group: expected a non-empty list of symbols"); return NULL; }
    for (i = 0; i < n; i++) {
        if (sg__check_sym(g, syms[i], "Group") != SG_OK) return NULL;
        total += syms[i]->nheads;
    }
    r = sg__sym_new(g, total);
    if (!r) return NULL;
    for (i = 0; i < n; i++) {
        memcpy(r->heads + k, syms[i]->heads, (size_t)syms[i]->nheads * sizeof(sg__entry));
        k += syms[i]->nheads;
    }
    return r;
}
SG__DEF sg_symbol *sg_get_internals(sg_graph *g, const sg_symbol *s) {
    sg__node **order = NULL;
    int no = 0, i, j, total = 0, k = 0;
    sg_symbol *r;
    if (sg__check_sym(g, s, "get_internals") != SG_OK) return NULL;
    if (sg__dfs(g, s->heads, s->nheads, &order, &no) != SG_OK) return NULL;
    for (i = 0; i < no; i++) total += order[i]->op ? sg__node_num_visible(order[i]) : 1;
    r = sg__sym_new(g, total);
    if (!r) { sg__free(order); return NULL; }
    for (i = 0; i < no; i++) {
        if (!order[i]->op) {
            r->heads[k].node = order[i]; r->heads[k].index = 0; r->heads[k].version = order[i]->version; k++;
        } else {
            int nv = sg__node_num_visible(order[i]);
            for (j = 0; j < nv; j++) { r->heads[k].node = order[i]; r->heads[k].index = j; r->heads[k].version = 0; k++; }
        }
    }
    sg__free(order);
    return r;
}
SG__DEF sg_symbol *sg_get_children(sg_graph *g, const sg_symbol *s) {
    int i, j, total = 0, k = 0;
    sg_symbol *r;
    if (sg__check_sym(g, s, "get_children") != SG_OK) return NULL;
    for (i = 0; i < s->nheads; i++) {
        int dup = 0;
        for (j = 0; j < i; j++) if (s->heads[j].node == s->heads[i].node) dup = 1;
        if (!dup) total += s->heads[i].node->nin;
    }
    if (total == 0) return NULL; /* Python's None; status stays SG_OK */
    r = sg__sym_new(g, total);
    if (!r) return NULL;
    for (i = 0; i < s->nheads; i++) {
        int dup = 0;
        for (j = 0; j < i; j++) if (s->heads[j].node == s->heads[i].node) dup = 1;
        if (dup) continue;
        memcpy(r->heads + k, s->heads[i].node->in, (size_t)s->heads[i].node->nin * sizeof(sg__entry));
        k += s->heads[i].node->nin;
    }
    return r;
}
SG__DEF sg_symbol *sg_get_output(sg_graph *g, const sg_symbol *s, int index) {
    if (sg__check_sym(g, s, "get_output") != SG_OK) return NULL;
    if (index < 0 || index >= s->nheads) {
        sg__seterr(g, SG_ERR_ARG, "symbol output index %d out of range (the symbol has %d outputs)", index, s->nheads);
        return NULL;
    }
    return sg__sym_one(g, s->heads[index].node, s->heads[index].index, s->heads[index].version);
}
SG__DEF sg_symbol *sg_get_output_by_name(sg_graph *g, const sg_symbol *s, const char *name) {
    const char *const *names;
    int n, i, found = -1;
    if (sg_list_outputs(g, s, &names, &n) != SG_OK) return NULL;
    if (!name) { sg__seterr(g, SG_ERR_ARG, "get_output: name is NULL"); return NULL; }
    for (i = 0; i < n; i++)
        if (!strcmp(names[i], name)) {
            if (found >= 0) { sg__seterr(g, SG_ERR_ARG, "There are multiple outputs with name \"%s\"", name); return NULL; }
            found = i;
        }
    if (found < 0) { sg__seterr(g, SG_ERR_ARG, "Cannot find output that matches name \"%s\"", name); return NULL; }
    return sg_get_output(g, s, found);
}

/* ---- attributes ---- */
SG__INTERNAL sg__node *sg__single_head(const sg_symbol *s) {
    int i;
    if (s->nheads < 1) return NULL;
    for (i = 1; i < s->nheads; i++)
        if (s->heads[i].node != s->heads[0].node) return NULL;
    return s->heads[0].node;
}
SG__DEF int sg_attr(sg_graph *g, const sg_symbol *s, const char *key, const char **value) {
    sg__node *n;
    const char *v;
    int st;
    if ((st = sg__check_sym(g, s, "attr")) != SG_OK) return st;
    if (!key || !value) return sg__seterr(g, SG_ERR_ARG, "attr: NULL key or value pointer");
    *value = NULL;
    n = sg__single_head(s);
    if (!n) return 0;
    if (!strcmp(key, "name")) { *value = n->name; return 1; }
    if (!strcmp(key, "op_name") && n->op) { *value = n->op->name; return 1; }
    v = sg__attrs_get(&n->attrs, key);
    if (!v && sg__is_hidden(key)) {
        char *hk = sg__cat("__", key, "__", NULL);
        if (!hk) return SG__NOMEM(g);
        v = sg__attrs_get(&n->attrs, hk);
        sg__free(hk);
    }
    *value = v;
    return v ? 1 : 0;
}
SG__DEF int sg_set_attr(sg_graph *g, sg_symbol *s, const char *key, const char *value) {
    sg__node *n;
    int st;
    if ((st = sg__check_sym(g, s, "set_attr")) != SG_OK) return st;
    n = sg__single_head(s);
    if (!n) return sg__seterr(g, SG_ERR_ARG, "Symbol.SetAttrs only works for non-grouped symbol");
    if (!key || !value) return sg__seterr(g, SG_ERR_ARG, "set_attr: NULL key or value");
    if (!strcmp(key, "name")) {
        char *nn = sg__strdup(value);
        if (!nn) return SG__NOMEM(g);
        sg__free(n->name);
        n->name = nn;
        return SG_OK;
    }
    if ((st = sg__set_user_attr(g, n, key, value)) != SG_OK) return st;
    if (n->op) return sg__op_parse(g, n);
    return SG_OK;
}
/* Push the pairs of one dict (plus stripped hidden duplicates) with a key prefix. */
SG__INTERNAL int sg__push_attrs(sg__strs *l, int *cap, const sg__node *n, const char *prefix, int user_only) {
    int i, j;
    for (i = 0; i < n->attrs.n; i++) {
        const char *k = n->attrs.kv[i].k;
        const struct sg__opdef *po = n->op ? n->op : n->origin;
        char *full;
        if (user_only && po) { /* skip operator parameters (and their copies on automatic variables) */
            int isp = 0;
            for (j = 0; j < po->nparams; j++) if (!strcmp(po->params[j].name, k)) isp = 1;
            if (isp) continue;
        }
        full = sg__cat(prefix, k, NULL, NULL);
        int ok = full && sg__strs_push(l, cap, full) && sg__strs_push(l, cap, n->attrs.kv[i].v);
        sg__free(full);
        if (!ok) return 0;
        if (sg__is_dunder(k)) {
            for (j = 0; j < SG__NHIDDEN; j++) {
                size_t hl = strlen(sg__hidden_keys[j]);
                if (strlen(k) == hl + 4 && !strncmp(k + 2, sg__hidden_keys[j], hl)) {
                    full = sg__cat(prefix, sg__hidden_keys[j], NULL, NULL);
                    ok = full && sg__strs_push(l, cap, full) && sg__strs_push(l, cap, n->attrs.kv[i].v);
                    sg__free(full);
                    if (!ok) return 0;
                }
            }
        }
    }
    return 1;
}
SG__DEF int sg_list_attr(sg_graph *g, const sg_symbol *cs, int recursive, const char *const **kv, int *n) {
    sg_symbol *s = (sg_symbol *)cs;
    sg__strs l = {NULL, 0};
    int cap = 0, st, i;
    if (kv) *kv = NULL;
    if (n) *n = 0;
    if ((st = sg__check_sym(g, s, "list_attr")) != SG_OK) return st;
    if (!kv || !n) return sg__seterr(g, SG_ERR_ARG, "list_attr: NULL output pointer");
    if (!recursive) {
        if (!sg__push_attrs(&l, &cap, s->heads[0].node, "", 0)) { sg__strs_clear(&l); return SG__NOMEM(g); }
    } else {
        sg__node **order = NULL;
        int no = 0;
        if ((st = sg__dfs(g, s->heads, s->nheads, &order, &no)) != SG_OK) return st;
        for (i = 0; i < no; i++) {
            char *p = sg__cat(order[i]->name, "_", NULL, NULL);
            int ok = p && sg__push_attrs(&l, &cap, order[i], p, 1);
            sg__free(p);
            if (!ok) { sg__free(order); sg__strs_clear(&l); return SG__NOMEM(g); }
        }
        sg__free(order);
    }
    sg__set_list(g, s, SG__L_ATTR, &l);
    *kv = (const char *const *)s->lists[SG__L_ATTR].v;
    *n = s->lists[SG__L_ATTR].n / 2;
    return SG_OK;
}
SG__DEF int sg_attr_dict(sg_graph *g, const sg_symbol *cs, const char *const **t, int *n) {
    sg_symbol *s = (sg_symbol *)cs;
    sg__strs l = {NULL, 0}, tmp;
    sg__node **order = NULL;
    int cap = 0, st, i, j, no = 0;
    if (t) *t = NULL;
    if (n) *n = 0;
    if ((st = sg__check_sym(g, s, "attr_dict")) != SG_OK) return st;
    if (!t || !n) return sg__seterr(g, SG_ERR_ARG, "attr_dict: NULL output pointer");
    if ((st = sg__dfs(g, s->heads, s->nheads, &order, &no)) != SG_OK) return st;
    for (i = 0; i < no; i++) {
        int tcap = 0;
        memset(&tmp, 0, sizeof tmp);
        if (!sg__push_attrs(&tmp, &tcap, order[i], "", 0)) goto oom;
        for (j = 0; j < tmp.n; j += 2)
            if (!sg__strs_push(&l, &cap, order[i]->name) || !sg__strs_push(&l, &cap, tmp.v[j]) ||
                !sg__strs_push(&l, &cap, tmp.v[j + 1]))
                goto oom;
        sg__strs_clear(&tmp);
    }
    sg__free(order);
    sg__set_list(g, s, SG__L_ATTRDICT, &l);
    *t = (const char *const *)s->lists[SG__L_ATTRDICT].v;
    *n = s->lists[SG__L_ATTRDICT].n / 3;
    return SG_OK;
oom:
    sg__strs_clear(&tmp);
    sg__strs_clear(&l);
    sg__free(order);
    return SG__NOMEM(g);
}

/* ========================================================================== */
/* 3b. Symbol JSON: tojson, save, load (part of graph and symbols)           */
/* ========================================================================== */

SG__INTERNAL int sg__node_rows(const sg_graph *g, const sg__node *n) {
    if (n->op && g->mkldnn_rows && n->op->mkldnn_rows) return n->op->mkldnn_rows(n);
    return sg__node_num_outputs(n);
}
SG__INTERNAL void sg__jw_entries(sg__jw *w, const sg__entry *e, int n, const int *ids) {
    int i;
    sg__jw_begin(w, 0, n > 10);
    for (i = 0; i < n; i++) {
        sg__jw_item(w);
        sg__buf_printf(&w->b, "[%d, %d, %d]", ids[e[i].node->id], e[i].index, e[i].version);
    }
    sg__jw_end(w, 0);
}
SG__INTERNAL void sg__jw_ints(sg__jw *w, const int *v, int n) {
    int i;
    sg__jw_begin(w, 0, n > 10);
    for (i = 0; i < n; i++) { sg__jw_item(w); sg__jw_int(w, v[i]); }
    sg__jw_end(w, 0);
}
SG__DEF int sg_tojson(sg_graph *g, const sg_symbol *s, const char **json) {
    sg__node **order = NULL;
    int n = 0, i, j, st, *ids = NULL, *tmp = NULL, na = 0;
    sg__jw w;
    if ((st = sg__check_sym(g, s, "tojson")) != SG_OK) return st;
    if (!json) return sg__seterr(g, SG_ERR_ARG, "tojson: NULL output pointer");
    if ((st = sg__dfs(g, s->heads, s->nheads, &order, &n)) != SG_OK) return st;
    ids = (int *)sg__calloc((size_t)n + 1, sizeof(int));
    tmp = (int *)sg__calloc((size_t)n + 1, sizeof(int));
    if (!ids || !tmp) { sg__free(order); sg__free(ids); sg__free(tmp); return SG__NOMEM(g); }
    for (i = 0; i < n; i++) { order[i]->id = i; ids[i] = i; }
    memset(&w, 0, sizeof w);
    sg__jw_begin(&w, 1, 1);
    sg__jw_key(&w, "nodes");
    sg__jw_begin(&w, 0, 1);
    for (i = 0; i < n; i++) {
        sg__node *t = order[i];
        sg__jw_item(&w);
        sg__jw_begin(&w, 1, 1);
        sg__jw_key(&w, "op");
        sg__jw_str(&w, t->op ? t->op->name : "null");
        sg__jw_key(&w, "name");
        sg__jw_str(&w, t->name);
        if (t->attrs.n > 0) {
            sg__jw_key(&w, "attrs");
            sg__jw_begin(&w, 1, t->attrs.n > 1);
            for (j = 0; j < t->attrs.n; j++) {
                sg__jw_key(&w, t->attrs.kv[j].k);
                sg__jw_str(&w, t->attrs.kv[j].v);
            }
            sg__jw_end(&w, 1);
        }
        sg__jw_key(&w, "inputs");
        sg__jw_entries(&w, t->in, t->nin, ids);
        sg__jw_end(&w, 1);
    }
    sg__jw_end(&w, 0);
    for (i = 0; i < n; i++) if (!order[i]->op) tmp[na++] = i;
    sg__jw_key(&w, "arg_nodes");
    sg__jw_ints(&w, tmp, na);
    tmp[0] = 0;
    {
        int *rp = (int *)sg__calloc((size_t)n + 1, sizeof(int));
        if (!rp) { w.b.oom = 1; }
        else {
            rp[0] = 0;
            for (i = 0; i < n; i++) rp[i + 1] = rp[i] + sg__node_rows(g, order[i]);
            sg__jw_key(&w, "node_row_ptr");
            sg__jw_ints(&w, rp, n + 1);
            sg__free(rp);
        }
    }
    sg__jw_key(&w, "heads");
    sg__jw_entries(&w, s->heads, s->nheads, ids);
    sg__jw_key(&w, "attrs");
    sg__jw_begin(&w, 1, 0);
    sg__jw_key(&w, "mxnet_version");
    sg__jw_begin(&w, 0, 0);
    sg__jw_item(&w);
    sg__jw_str(&w, "int");
    sg__jw_item(&w);
    sg__jw_int(&w, SYMGRAPH_VERSION);
    sg__jw_end(&w, 0);
    sg__jw_end(&w, 1);
    sg__jw_end(&w, 1);
    sg__free(order);
    sg__free(ids);
    sg__free(tmp);
    if (w.b.oom) { sg__free(w.b.p); return SG__NOMEM(g); }
    sg__free(g->json);
    g->json = w.b.p;
    *json = g->json;
    return SG_OK;
}
SG__DEF int sg_save(sg_graph *g, const sg_symbol *s, const char *path) {
    const char *j;
    FILE *f;
    size_t len;
    int st;
    if ((st = sg_tojson(g, s, &j)) != SG_OK) return st;
    if (!path) return sg__seterr(g, SG_ERR_ARG, "save: path is NULL");
    f = fopen(path, "wb");
    if (!f) return sg__seterr(g, SG_ERR_IO, "save: cannot open '%s' for writing: %s", path, strerror(errno));
    len = strlen(j);
    if (fwrite(j, 1, len, f) != len) { fclose(f); return sg__seterr(g, SG_ERR_IO, "save: write to '%s' failed", path); }
    if (fclose(f) != 0) return sg__seterr(g, SG_ERR_IO, "save: closing '%s' failed", path);
    return SG_OK;
}

/* ---- loading ---- */
typedef struct sg__lnode { int op, name, inputs, attrs, param; } sg__lnode;

SG__INTERNAL int sg__jerr(sg_graph *g, const sg__json *J, int v, const char *what) {
    int line, col;
    sg__json_linecol(J->src, v >= 0 ? J->v[v].off : 0, &line, &col);
    return sg__seterr(g, SG_ERR_PARSE, "JSON error at line %d, column %d: %s", line, col, what);
}
/* Read an object of string values into attrs (clearing it first when replace). */
SG__INTERNAL int sg__load_strmap(sg_graph *g, const sg__json *J, int v, sg__attrs *a, int overwrite) {
    int c;
    if (J->v[v].type != SG__J_OBJ) return sg__jerr(g, J, v, "expected an object of strings");
    for (c = J->v[v].first; c >= 0; c = J->v[c].next) {
        if (J->v[c].type != SG__J_STR) return sg__jerr(g, J, c, "attribute values must be strings");
        if (!overwrite && sg__attrs_get(a, J->v[c].key)) continue;
        if (!sg__attrs_set(a, J->v[c].key, J->v[c].s)) return SG__NOMEM(g);
    }
    return SG_OK;
}
SG__INTERNAL int sg__jint(const sg__json *J, int v, long long *out) {
    if (v < 0 || J->v[v].type != SG__J_NUM || !J->v[v].isint) return 0;
    *out = J->v[v].i;
    return 1;
}
/* An entry [node, index] or [node, index, version]. */
SG__INTERNAL int sg__load_entry(sg_graph *g, const sg__json *J, int v, int nnodes, long long out[3]) {
    int c, k = 0;
    if (J->v[v].type != SG__J_ARR || J->v[v].count < 2 || J->v[v].count > 3)
        return sg__jerr(g, J, v, "an entry must be [node_id, output_index] or [node_id, output_index, version]");
    out[2] = 0;
    for (c = J->v[v].first; c >= 0; c = J->v[c].next, k++)
        if (!sg__jint(J, c, &out[k])) return sg__jerr(g, J, c, "entry fields must be integers");
    if (out[0] < 0 || out[0] >= nnodes) {
        char m[96];
        snprintf(m, sizeof m, "node id %lld out of range (the graph has %d nodes)", out[0], nnodes);
        return sg__jerr(g, J, v, m);
    }
    if (out[1] < 0 || out[1] > INT_MAX || out[2] < 0 || out[2] > INT_MAX) return sg__jerr(g, J, v, "bad output index or version");
    return SG_OK;
}

/* FixParsing (MXNet < 1.9.1 files): hidden keys to __key__, <arg>_<hidden> to the input variable. */
SG__INTERNAL int sg__upgrade_fixparsing(sg_graph *g, sg__node **order, int n) {
    int i, j, k, st;
    for (i = 0; i < n; i++) {
        sg__node *t = order[i];
        sg__attrs hidden = {NULL, 0, 0};
        for (j = 0; j < t->attrs.n;) { /* pull out keys that start or end with a hidden key */
            const char *key = t->attrs.kv[j].k;
            int is_h = 0;
            for (k = 0; k < SG__NHIDDEN; k++) {
                const char *h = sg__hidden_keys[k], *p = NULL, *q = key;
                while ((q = strstr(q, h)) != NULL) { p = q; q++; }
                if (p && (p == key || (size_t)(p - key) + strlen(h) == strlen(key))) { is_h = 1; break; }
            }
            if (is_h) {
                if (!sg__attrs_set(&hidden, key, t->attrs.kv[j].v)) { sg__attrs_clear(&hidden); return SG__NOMEM(g); }
                sg__attrs_del(&t->attrs, key);
            } else j++;
        }
        if (t->op && (st = sg__op_parse(g, t)) != SG_OK) { sg__attrs_clear(&hidden); return st; }
        for (j = 0; j < hidden.n; j++) {
            const char *key = hidden.kv[j].k, *val = hidden.kv[j].v;
            int flag = 0;
            for (k = 0; k < SG__NHIDDEN; k++) {
                const char *h = sg__hidden_keys[k], *p = NULL, *q = key;
                size_t hl = strlen(h), kl = strlen(key);
                while ((q = strstr(q, h)) != NULL) { p = q; q++; }
                if (!p) continue;
                if (p == key && hl == kl) {
                    char *nk = sg__cat("__", h, "__", NULL);
                    int ok = nk && sg__attrs_set(&t->attrs, nk, val);
                    sg__free(nk);
                    if (!ok) { sg__attrs_clear(&hidden); return SG__NOMEM(g); }
                    flag = 1;
                    break;
                }
                if (p - key > 1 && (size_t)(p - key) + hl == kl) {
                    if (t->op) {
                        char arg[64], nm[32];
                        int a, ni = sg__node_num_inputs(t);
                        size_t al = (size_t)(p - key) - 1;
                        if (al < sizeof arg) {
                            memcpy(arg, key, al);
                            arg[al] = 0;
                            for (a = 0; a < ni && a < t->nin; a++)
                                if (!strcmp(sg__node_input_name(t, a, nm), arg)) {
                                    if (!t->in[a].node->op) {
                                        char *nk = sg__cat("__", h, "__", NULL);
                                        int ok = nk && sg__attrs_set(&t->in[a].node->attrs, nk, val);
                                        sg__free(nk);
                                        if (!ok) { sg__attrs_clear(&hidden); return SG__NOMEM(g); }
                                        flag = 1;
                                    }
                                    break;
                                }
                        }
                    }
                    break;
                }
                break;
            }
            if (!flag && !sg__attrs_set(&t->attrs, key, val)) { sg__attrs_clear(&hidden); return SG__NOMEM(g); }
        }
        sg__attrs_clear(&hidden);
    }
    return SG_OK;
}

SG__DEF sg_symbol *sg_load_json(sg_graph *g, const char *text, size_t len) {
    sg__json J;
    int root, c, i, k, nnodes = 0, vnodes = -1, vargs = -1, vheads = -1, vattrs = -1, st = SG_OK, nhead = 0;
    long long version = 800;
    sg__node **nodes = NULL;
    sg__lnode *ln = NULL;
    sg_symbol *res = NULL;
    sg__node **order = NULL;
    int norder = 0;
    if (!g) return NULL;
    if (!text) { sg__seterr(g, SG_ERR_ARG, "load_json: text is NULL"); return NULL; }
    if (len == (size_t)-1) len = strlen(text);
    root = sg__json_parse(&J, text, len);
    if (root < 0) { sg__seterr(g, SG_ERR_PARSE, "%s", J.err); sg__json_free(&J); return NULL; }
    if (J.v[root].type != SG__J_OBJ) { sg__jerr(g, &J, root, "the top level must be an object"); goto fail; }
    for (c = J.v[root].first; c >= 0; c = J.v[c].next) {
        const char *k2 = J.v[c].key;
        if (!strcmp(k2, "nodes")) vnodes = c;
        else if (!strcmp(k2, "arg_nodes")) vargs = c;
        else if (!strcmp(k2, "heads")) vheads = c;
        else if (!strcmp(k2, "attrs")) vattrs = c;
        else if (!strcmp(k2, "node_row_ptr")) {
            int e;
            if (J.v[c].type != SG__J_ARR) { sg__jerr(g, &J, c, "node_row_ptr must be an array of integers"); goto fail; }
            for (e = J.v[c].first; e >= 0; e = J.v[e].next) {
                long long tv;
                if (!sg__jint(&J, e, &tv)) { sg__jerr(g, &J, e, "node_row_ptr must be an array of integers"); goto fail; }
            }
        } else {
            char m[160];
            snprintf(m, sizeof m, "Unknown field '%.100s' at the top level", k2);
            sg__jerr(g, &J, c, m);
            goto fail;
        }
    }
    if (vnodes < 0 || vargs < 0 || vheads < 0) {
        sg__jerr(g, &J, root, vnodes < 0 ? "missing field 'nodes'" : vargs < 0 ? "missing field 'arg_nodes'" : "missing field 'heads'");
        goto fail;
    }
    if (J.v[vnodes].type != SG__J_ARR) { sg__jerr(g, &J, vnodes, "'nodes' must be an array"); goto fail; }
    if (vattrs >= 0) {
        if (J.v[vattrs].type != SG__J_OBJ) { sg__jerr(g, &J, vattrs, "'attrs' must be an object"); goto fail; }
        for (c = J.v[vattrs].first; c >= 0; c = J.v[c].next) {
            int a0, a1;
            if (J.v[c].type != SG__J_ARR || J.v[c].count != 2) { sg__jerr(g, &J, c, "graph attributes are [type, value] pairs"); goto fail; }
            a0 = J.v[c].first;
            a1 = J.v[a0].next;
            if (J.v[a0].type != SG__J_STR) { sg__jerr(g, &J, a0, "graph attribute type must be a string"); goto fail; }
            if (!strcmp(J.v[c].key, "mxnet_version")) {
                if (strcmp(J.v[a0].s, "int") || !sg__jint(&J, a1, &version)) { sg__jerr(g, &J, c, "mxnet_version must be [\"int\", N]"); goto fail; }
            }
        }
    }
    nnodes = J.v[vnodes].count;
    nodes = (sg__node **)sg__calloc((size_t)nnodes + 1, sizeof(sg__node *));
    ln = (sg__lnode *)sg__calloc((size_t)nnodes + 1, sizeof(sg__lnode));
    if (!nodes || !ln) { SG__NOMEM(g); goto fail; }
    /* pass 1: create nodes */
    for (c = J.v[vnodes].first, i = 0; c >= 0; c = J.v[c].next, i++) {
        int f, vop = -1, vname = -1, vin = -1;
        const sg__opdef *op = NULL;
        sg__node *t;
        if (J.v[c].type != SG__J_OBJ) { sg__jerr(g, &J, c, "each node must be an object"); goto fail; }
        for (f = J.v[c].first; f >= 0; f = J.v[f].next) {
            const char *k2 = J.v[f].key;
            if (!strcmp(k2, "op")) vop = f;
            else if (!strcmp(k2, "name")) vname = f;
            else if (!strcmp(k2, "inputs")) vin = f;
            else if (!strcmp(k2, "attrs") || !strcmp(k2, "attr") || !strcmp(k2, "param")) {
                if (J.v[f].type != SG__J_OBJ) { sg__jerr(g, &J, f, "attrs/attr/param must be an object"); goto fail; }
            } else if (!strcmp(k2, "control_deps") || !strcmp(k2, "subgraphs")) {
                if (J.v[f].type != SG__J_ARR) { sg__jerr(g, &J, f, "control_deps/subgraphs must be an array"); goto fail; }
                if (J.v[f].count > 0) {
                    char m[160];
                    snprintf(m, sizeof m, "node %d: non-empty '%s' is not supported", i, k2);
                    sg__jerr(g, &J, f, m);
                    st = SG_ERR_UNSUPPORTED;
                    goto fail;
                }
            } else if (!strcmp(k2, "backward_source_id")) {
                long long tv;
                if (!sg__jint(&J, f, &tv)) { sg__jerr(g, &J, f, "backward_source_id must be an integer"); goto fail; }
            } else {
                char m[160];
                snprintf(m, sizeof m, "node %d: Unknown field '%.100s'", i, k2);
                sg__jerr(g, &J, f, m);
                goto fail;
            }
        }
        if (vop < 0 || vname < 0 || vin < 0) {
            char m[96];
            snprintf(m, sizeof m, "node %d: missing field '%s'", i, vop < 0 ? "op" : vname < 0 ? "name" : "inputs");
            sg__jerr(g, &J, c, m);
            goto fail;
        }
        if (J.v[vop].type != SG__J_STR || J.v[vname].type != SG__J_STR || J.v[vin].type != SG__J_ARR) {
            sg__jerr(g, &J, c, "node fields: op and name must be strings, inputs an array");
            goto fail;
        }
        if (strcmp(J.v[vop].s, "null")) {
            op = sg__op_lookup(J.v[vop].s);
            if (!op) {
                sg__seterr(g, SG_ERR_UNKNOWN_OP, "Failed loading Op %s of type %s: Operator %s is not registered (node %d)",
                           J.v[vname].s, J.v[vop].s, J.v[vop].s, i);
                goto fail;
            }
        }
        t = sg__node_new(g, op, J.v[vname].s);
        if (!t) goto fail;
        t->composed = 1;
        nodes[i] = t;
        ln[i].inputs = vin;
        /* attrs / attr: the later one replaces; param: inserted without overwriting */
        for (f = J.v[c].first; f >= 0; f = J.v[f].next)
            if (!strcmp(J.v[f].key, "attrs") || !strcmp(J.v[f].key, "attr")) {
                sg__attrs_clear(&t->attrs);
                if (sg__load_strmap(g, &J, f, &t->attrs, 1) != SG_OK) goto fail;
            }
        for (f = J.v[c].first; f >= 0; f = J.v[f].next)
            if (!strcmp(J.v[f].key, "param") && sg__load_strmap(g, &J, f, &t->attrs, 0) != SG_OK) goto fail;
    }
    /* pass 2: inputs */
    for (i = 0; i < nnodes; i++) {
        int e, vin = ln[i].inputs, nin = J.v[vin].count;
        sg__node *t = nodes[i];
        if (!t->op && nin > 0) {
            char m[128];
            snprintf(m, sizeof m, "node %d (%.60s): a variable cannot have inputs", i, t->name);
            sg__jerr(g, &J, vin, m);
            goto fail;
        }
        if (nin > 0) {
            t->in = (sg__entry *)sg__calloc((size_t)nin, sizeof(sg__entry));
            if (!t->in) { SG__NOMEM(g); goto fail; }
        }
        for (e = J.v[vin].first, k = 0; e >= 0; e = J.v[e].next, k++) {
            long long en[3];
            if (sg__load_entry(g, &J, e, nnodes, en) != SG_OK) goto fail;
            t->in[k].node = nodes[en[0]];
            t->in[k].index = (int)en[1];
            t->in[k].version = (int)en[2];
        }
        t->nin = nin;
    }
    /* arg_nodes must be variables */
    if (J.v[vargs].type != SG__J_ARR) { sg__jerr(g, &J, vargs, "'arg_nodes' must be an array"); goto fail; }
    for (c = J.v[vargs].first; c >= 0; c = J.v[c].next) {
        long long id;
        if (!sg__jint(&J, c, &id) || id < 0 || id >= nnodes) { sg__jerr(g, &J, c, "arg_nodes: node id out of range"); goto fail; }
        if (nodes[id]->op) {
            char m[128];
            snprintf(m, sizeof m, "arg_nodes: node %lld (%.60s) is not a variable", id, nodes[id]->name);
            sg__jerr(g, &J, c, m);
            goto fail;
        }
    }
    /* heads */
    if (J.v[vheads].type != SG__J_ARR || J.v[vheads].count < 1) { sg__jerr(g, &J, vheads, "'heads' must be a non-empty array"); goto fail; }
    res = sg__sym_new(g, J.v[vheads].count);
    if (!res) goto fail;
    for (c = J.v[vheads].first; c >= 0; c = J.v[c].next) {
        long long en[3];
        if (sg__load_entry(g, &J, c, nnodes, en) != SG_OK) goto fail;
        res->heads[nhead].node = nodes[en[0]];
        res->heads[nhead].index = (int)en[1];
        res->heads[nhead].version = (int)en[2];
        nhead++;
    }
    /* cycles, then the upgrades of legacy_json_util.cc */
    if (sg__dfs(g, res->heads, res->nheads, &order, &norder) != SG_OK) goto fail;
    if (version < SYMGRAPH_VERSION) {
        if (sg__upgrade_fixparsing(g, order, norder) != SG_OK) goto fail;
    } else {
        for (i = 0; i < norder; i++)
            if (order[i]->op && sg__op_parse(g, order[i]) != SG_OK) goto fail;
    }
    for (i = 0; i < norder; i++) {
        sg__node *t = order[i];
        int ni;
        char nm[32];
        if (!t->op) continue;
        ni = sg__node_num_inputs(t);
        if (version < 900 && t->nin < ni) { /* 0.8 -> 0.9: add the missing auxiliary-state variables */
            sg__entry *ne = (sg__entry *)SYMGRAPH_REALLOC(t->in, (size_t)ni * sizeof(sg__entry));
            if (!ne) { SG__NOMEM(g); goto fail; }
            t->in = ne;
            for (k = t->nin; k < ni; k++) {
                char *vn = sg__cat(t->name, "_", sg__node_input_name(t, k, nm), NULL);
                sg__node *v = vn ? sg__node_new(g, NULL, vn) : NULL;
                sg__free(vn);
                if (!v) { if (g->status == SG_OK) SG__NOMEM(g); goto fail; }
                if (!sg__attrs_copy(&v->attrs, &t->attrs)) { SG__NOMEM(g); goto fail; }
                t->in[k].node = v;
                t->in[k].index = 0;
                t->in[k].version = 0;
            }
            t->nin = ni;
        }
        if (t->nin != ni) {
            sg__seterr(g, SG_ERR_GRAPH, "Operator %s (%s) has %d inputs in the file, expected %d", t->name, t->op->name,
                       t->nin, ni);
            goto fail;
        }
        for (k = 0; k < t->nin; k++)
            if (t->in[k].index >= sg__node_num_outputs(t->in[k].node)) {
                sg__seterr(g, SG_ERR_GRAPH, "Operator %s: input %d refers to output %d of '%s', which has %d outputs",
                           t->name, k, t->in[k].index, t->in[k].node->name, sg__node_num_outputs(t->in[k].node));
                goto fail;
            }
        if (version < 904 && t->op->on_compose)
            for (k = 0; k < t->nin; k++)
                if (!t->in[k].node->op && !t->op->on_compose(t, k, t->in[k].node)) {
                    SG__NOMEM(g);
                    goto fail;
                }
    }
    for (i = 0; i < res->nheads; i++)
        if (res->heads[i].index >= sg__node_num_outputs(res->heads[i].node)) {
            sg__seterr(g, SG_ERR_GRAPH, "head %d refers to output %d of '%s', which has %d outputs", i, res->heads[i].index,
                       res->heads[i].node->name, sg__node_num_outputs(res->heads[i].node));
            goto fail;
        }
    sg__free(order);
    sg__free(nodes);
    sg__free(ln);
    sg__json_free(&J);
    return res;
fail:
    (void)st;
    if (g->status == SG_OK) SG__NOMEM(g);
    sg__free(order);
    sg__free(nodes);
    sg__free(ln);
    sg__json_free(&J);
    return NULL;
}

SG__INTERNAL char *sg__read_file(sg_graph *g, const char *path, size_t *len) {
    FILE *f;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!path) { sg__seterr(g, SG_ERR_ARG, "load: path is NULL"); return NULL; }
    f = fopen(path, "rb");
    if (!f) { sg__seterr(g, SG_ERR_IO, "cannot open '%s': %s", path, strerror(errno)); return NULL; }
    for (;;) {
        size_t r;
        if (n + 65536 + 1 > cap) {
            char *nb;
            cap = cap ? cap * 2 : 65536 * 2;
            nb = (char *)SYMGRAPH_REALLOC(buf, cap);
            if (!nb) { sg__free(buf); fclose(f); SG__NOMEM(g); return NULL; }
            buf = nb;
        }
        r = fread(buf + n, 1, 65536, f);
        n += r;
        if (r < 65536) break;
    }
    if (ferror(f)) { sg__free(buf); fclose(f); sg__seterr(g, SG_ERR_IO, "read error on '%s'", path); return NULL; }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}
SG__DEF sg_symbol *sg_load(sg_graph *g, const char *path) {
    size_t len;
    char *t;
    sg_symbol *s;
    if (!g) return NULL;
    t = sg__read_file(g, path, &len);
    if (!t) return NULL;
    s = sg_load_json(g, t, len);
    sg__free(t);
    return s;
}

/* ========================================================================== */
/* 4. Operator registry and operators                                         */
/* ========================================================================== */
/* Parameter values are parsed as dmlc::Parameter does: ints with nothing after
 * them, bools true/false/1/0 (any case), tuples "(a, b)", "[a,b]", "3", "()",
 * "None" and a trailing L per element, enums by exact name, optionals "None". */

SG__INTERNAL int sg__parse_ll(const char *s, long long *out) {
    char *end;
    long long v;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) return 0;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (end == s || errno) return 0;
    while (*end == ' ' || *end == '\t') end++;
    if (*end) return 0;
    *out = v;
    return 1;
}
SG__INTERNAL int sg__parse_double(const char *s, double *out) {
    char *end;
    double v;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) return 0;
    v = strtod(s, &end);
    if (end == s) return 0;
    while (*end == ' ' || *end == '\t') end++;
    if (*end) return 0;
    *out = v;
    return 1;
}
/* A float parameter as dmlc's parser reads it (MXNet 1.9): decimal only (no
 * hex), no value beyond the double range ("1e400"), and for a plain float an
 * f/F suffix after the digits ("1.5f"). Optional floats are read by a C++
 * stream, which takes neither the suffix nor inf / nan. Blanks around the
 * text are allowed. Returns 1, or 0 with *why. */
SG__INTERNAL int sg__parse_param_float(const char *s, int opt, double *out, const char **why) {
    const char *p = s, *q;
    char *end;
    double v;
    *why = "a number";
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (!*p) return 0;
    v = strtod(p, &end);
    if (end == p) return 0;
    for (q = p; q < end; q++)
        if (*q == 'x' || *q == 'X') return 0; /* strtod's hex floats */
    if (!opt && (*end == 'f' || *end == 'F') && ((end[-1] >= '0' && end[-1] <= '9') || end[-1] == '.')) end++;
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') end++;
    if (*end) return 0;
    if (v != v || v - v != 0) { /* nan or inf */
        int word = 0;
        for (q = p; q < end; q++) word |= *q == 'i' || *q == 'I' || *q == 'n' || *q == 'N';
        if (opt && word) return 0;
        if (!word) { *why = "a number within the double range"; return 0; }
    }
    *out = v;
    return 1;
}
/* true / false / 1 / 0 in any case; blanks around it only for an optional
 * bool (dmlc reads those with a stream, plain ones exactly). */
SG__INTERNAL int sg__parse_bool(const char *s, int opt, long long *out) {
    char b[8];
    size_t i, n;
    while (opt && (*s == ' ' || *s == '\t' || *s == '\n')) s++;
    n = strlen(s);
    while (opt && n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) n--;
    if (n == 0 || n > 5) return 0;
    for (i = 0; i < n; i++) b[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
    b[n] = 0;
    if (!strcmp(b, "true") || !strcmp(b, "1")) { *out = 1; return 1; }
    if (!strcmp(b, "false") || !strcmp(b, "0")) { *out = 0; return 1; }
    return 0;
}
/* Tuple of ints. Returns 1 ok (*none for None), 0 bad format, -1 too many dims. */
SG__INTERNAL int sg__parse_tuple(const char *s, int *ndim, long long *t, int *none) {
    const char *p = s;
    char close = 0;
    *ndim = 0;
    *none = 0;
    while (*p == ' ') p++;
    if (!strcmp(p, "None")) { *none = 1; return 1; }
    if (*p == '(') close = ')';
    else if (*p == '[') close = ']';
    if (!close) { /* a bare integer */
        long long v;
        if (!sg__parse_ll(p, &v)) return 0;
        t[0] = v;
        *ndim = 1;
        return 1;
    }
    p++;
    for (;;) {
        char *end;
        long long v;
        while (*p == ' ') p++;
        if (*p == close) { p++; break; }
        errno = 0;
        v = strtoll(p, &end, 10);
        if (end == p || errno) return 0;
        p = end;
        if (*p == 'L') p++;
        if (*ndim >= SG_MAX_NDIM) return -1;
        t[(*ndim)++] = v;
        while (*p == ' ') p++;
        if (*p == ',') { p++; continue; }
        if (*p == close) { p++; break; }
        return 0;
    }
    while (*p == ' ') p++;
    return *p == 0;
}
SG__INTERNAL int sg__enum_index(const char *enums, const char *v) {
    const char *p = enums;
    int idx = 0;
    size_t vl = strlen(v);
    while (*p) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == vl && !strncmp(p, v, l)) return idx;
        idx++;
        if (!e) break;
        p = e + 1;
    }
    return -1;
}

/* Parse one value. Returns SG_OK or SG_ERR_PARAM with a message. */
SG__INTERNAL int sg__parse_param(sg_graph *g, const sg__node *n, const sg__pdef *d, const char *text, sg__pval *v) {
    const char *expect = "";
    int ok = 1;
    v->s = text;
    if ((d->flags & SG__PF_OPT) && !strcmp(text, "None")) { v->none = 1; return SG_OK; }
    switch (d->type) {
    case SG__P_INT:
        ok = sg__parse_ll(text, &v->i);
        if (!ok && (d->flags & SG__PF_OPT)) { /* optional ints also take Python 2's long suffix ("1L"), as MXNet */
            char buf[32];
            size_t len = strlen(text);
            while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t')) len--;
            if (len > 1 && len < sizeof buf && text[len - 1] == 'L') {
                memcpy(buf, text, len - 1);
                buf[len - 1] = 0;
                ok = sg__parse_ll(buf, &v->i);
            }
        }
        expect = "an integer";
        if (ok && (d->flags & SG__PF_GE1) && v->i < 1) { ok = 0; expect = "an integer >= 1"; }
        if (ok && (d->flags & SG__PF_GE0) && v->i < 0) { ok = 0; expect = "an integer >= 0"; }
        break;
    case SG__P_FLOAT:
        ok = sg__parse_param_float(text, (d->flags & SG__PF_OPT) != 0, &v->f, &expect);
        /* most of MXNet's float parameters are 32-bit ("Out of range value" beyond
         * FLT_MAX); converting such a value to float would be undefined */
        if (ok && !(d->flags & SG__PF_F64) && v->f - v->f == 0 && (v->f > FLT_MAX || v->f < -FLT_MAX)) {
            ok = 0;
            expect = "a number within the float range";
        }
        /* and the kernels (and the range checks) see its float value, as MXNet's
         * (BatchNorm momentum 0.9 is 0.89999997615814209, clip a_min -0.3 is
         * -0.30000001192092896: float64 networks differ in the 8th digit otherwise) */
        if (ok && !(d->flags & SG__PF_F64) && !v->none) v->f = (double)(float)v->f;
        if (ok && (d->flags & SG__PF_UNIT) && !(v->f >= 0 && v->f <= 1)) { ok = 0; expect = "a number in [0, 1]"; }
        break;
    case SG__P_BOOL:
        ok = sg__parse_bool(text, (d->flags & SG__PF_OPT) != 0, &v->i);
        expect = "a boolean (True, False, 1, 0)";
        break;
    case SG__P_TUPLE: {
        int r = sg__parse_tuple(text, &v->ndim, v->t, &v->none);
        ok = r > 0;
        expect = r < 0 ? "a shape of at most 10 dims" : "a shape tuple such as (3, 3)";
        break;
    }
    case SG__P_ENUM:
        v->i = sg__enum_index(d->enums, text);
        ok = v->i >= 0;
        expect = d->enums;
        break;
    case SG__P_STR: break;
    }
    if (!ok)
        return sg__seterr(g, SG_ERR_PARAM, "Operator %s (%s): invalid value '%s' for parameter '%s', expected %s%s",
                          n->name, n->op->name, text, d->name, d->type == SG__P_ENUM ? "one of " : "", expect);
    return SG_OK;
}

SG__INTERNAL int sg__op_parse(sg_graph *g, sg__node *n) {
    const sg__opdef *op = n->op;
    int i, st;
    sg__pval *pv;
    if (!op) return SG_OK;
    pv = (sg__pval *)sg__calloc((size_t)(op->nparams ? op->nparams : 1), sizeof(sg__pval));
    if (!pv) return SG__NOMEM(g);
    for (i = 0; i < op->nparams; i++) {
        const sg__pdef *d = &op->params[i];
        const char *text = sg__attrs_get(&n->attrs, d->name);
        if (text) pv[i].given = 1;
        else if (d->def) text = d->def;
        else {
            sg__free(pv);
            return sg__seterr(g, SG_ERR_PARAM, "Operator %s (%s): required parameter '%s' is missing", n->name, op->name,
                              d->name);
        }
        if ((st = sg__parse_param(g, n, d, text, &pv[i])) != SG_OK) { sg__free(pv); return st; }
    }
    sg__free(n->pv);
    n->pv = pv;
    if (op->check && (st = op->check(g, n)) != SG_OK) return st;
    return SG_OK;
}

/* ---- per-node operator properties ---- */
SG__INTERNAL int sg__pidx(const sg__opdef *op, const char *name) {
    int i;
    for (i = 0; i < op->nparams; i++)
        if (!strcmp(op->params[i].name, name)) return i;
    return -1;
}
SG__INTERNAL const sg__pval *sg__param(const sg__node *n, const char *name) {
    int i = sg__pidx(n->op, name);
    SYMGRAPH_ASSERT(i >= 0 && n->pv);
    return &n->pv[i];
}
#define SG__PI(n, name) (sg__param((n), (name))->i)
#define SG__PF(n, name) (sg__param((n), (name))->f)

/* Static input names: the idx-th space-separated word. */
SG__INTERNAL int sg__word(const char *list, int idx, char *out, size_t sz) {
    const char *p = list;
    int k = 0;
    while (p && *p) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (k == idx) {
            if (l >= sz) l = sz - 1;
            memcpy(out, p, l);
            out[l] = 0;
            return 1;
        }
        k++;
        p = e ? e + 1 : NULL;
    }
    return 0;
}
SG__INTERNAL int sg__nwords(const char *list) {
    int k = 0;
    const char *p = list;
    if (!p || !*p) return 0;
    for (k = 1; *p; p++) if (*p == ' ') k++;
    return k;
}
SG__INTERNAL int sg__node_num_inputs(const sg__node *n) {
    const sg__opdef *op = n->op;
    int k;
    if (!op) return 0;
    if (op->flags & SG__OF_VARARG) return (int)SG__PI(n, "num_args");
    if (op->inputs_fn) { const char *names[SG__MAX_INPUTS_STATIC]; char scratch[64]; return op->inputs_fn(n, names, scratch); }
    k = sg__nwords(op->inputs);
    if ((op->flags & SG__OF_NOBIAS) && SG__PI(n, "no_bias")) k--;
    return k;
}
/* Input name i; scratch needs 16 bytes. */
SG__INTERNAL const char *sg__node_input_name(const sg__node *n, int i, char *scratch) {
    const sg__opdef *op = n->op;
    if (op->flags & SG__OF_VARARG) { snprintf(scratch, 16, "arg%d", i); return scratch; }
    if (op->inputs_fn) {
        const char *names[SG__MAX_INPUTS_STATIC];
        char sc[64];
        int k = op->inputs_fn(n, names, sc);
        if (i < k) { snprintf(scratch, 16, "%s", names[i]); return scratch; }
        return "?";
    }
    if (!sg__word(op->inputs, i, scratch, 16)) return "?";
    return scratch;
}
SG__INTERNAL int sg__node_num_outputs(const sg__node *n) {
    if (!n->op) return 1;
    return n->op->nout_fn ? n->op->nout_fn(n) : n->op->nout;
}
SG__INTERNAL int sg__node_num_visible(const sg__node *n) {
    if (!n->op) return 1;
    return n->op->nvis_fn ? n->op->nvis_fn(n) : 1;
}
SG__INTERNAL unsigned sg__node_mutate(const sg__node *n) {
    if (!n->op) return 0;
    return n->op->mutate_fn ? (unsigned)n->op->mutate_fn(n) : n->op->mutate;
}
SG__INTERNAL int sg__output_name(const sg__node *n, int i, sg__buf *b) {
    char w[32];
    if (n->op->outputs && sg__word(n->op->outputs, i, w, sizeof w)) sg__buf_puts(b, w);
    /* SliceChannel's FListOutputNames numbers its outputs even when there is one */
    else if (sg__node_num_outputs(n) == 1 && strcmp(n->op->name, "SliceChannel")) sg__buf_puts(b, "output");
    else sg__buf_printf(b, "output%d", i);
    return !b->oom;
}
SG__INTERNAL int sg__all_visible(const sg__node *n) { return sg__node_num_outputs(n); }

/* ---- inference helpers used by the operators (the passes are in section 5) ---- */
struct sg__infer {
    sg_graph *g;
    int nin, nout;
};
#define SG__UNK (-1)
SG__INTERNAL int sg__shape_err(sg__infer *c, const sg__node *n, int is_in, int idx, const sg_shape *have,
                               const sg_shape *want) {
    char a[256], b[256], nm[32];
    const char *what = is_in ? sg__node_input_name(n, idx, nm) : "output";
    sg_shape_str(have, a, sizeof a);
    sg_shape_str(want, b, sizeof b);
    if (is_in)
        return sg__seterr(c->g, SG_ERR_SHAPE, "Error in operator %s (%s): Shape inconsistent for input %d (%s), Provided = %s, inferred shape = %s",
                          n->name, n->op->name, idx, what, a, b);
    return sg__seterr(c->g, SG_ERR_SHAPE, "Error in operator %s (%s): Shape inconsistent for output %d, Provided = %s, inferred shape = %s",
                      n->name, n->op->name, idx, a, b);
}
/* shape_assign: merge src into *dst. 1 ok, 0 conflict. */
SG__INTERNAL int sg__shape_merge(sg_shape *dst, const sg_shape *src) {
    int i;
    if (src->ndim < 0) return 1;
    if (dst->ndim < 0) { *dst = *src; return 1; }
    if (dst->ndim != src->ndim) return 0;
    for (i = 0; i < dst->ndim; i++) {
        if (src->dims[i] < 0) continue;
        if (dst->dims[i] < 0) dst->dims[i] = src->dims[i];
        else if (dst->dims[i] != src->dims[i]) return 0;
    }
    return 1;
}
/* SHAPE_ASSIGN_CHECK on input i / output i. */
SG__INTERNAL int sg__in_assign(sg__infer *c, const sg__node *n, sg_shape *in, int i, sg_shape s) {
    if (!sg__shape_merge(&in[i], &s)) return sg__shape_err(c, n, 1, i, &in[i], &s);
    return SG_OK;
}
SG__INTERNAL int sg__out_assign(sg__infer *c, const sg__node *n, sg_shape *out, int i, sg_shape s) {
    if (!sg__shape_merge(&out[i], &s)) return sg__shape_err(c, n, 0, i, &out[i], &s);
    return SG_OK;
}
SG__INTERNAL int sg__fail(sg__infer *c, const sg__node *n, const char *fmt, ...) {
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sg__seterr(c->g, SG_ERR_SHAPE, "Error in operator %s (%s): %s", n->name, n->op->name, msg);
}
SG__INTERNAL sg_shape sg__shp(int ndim, ...) {
    sg_shape s;
    va_list ap;
    int i;
    memset(&s, 0, sizeof s);
    s.ndim = ndim;
    va_start(ap, ndim);
    for (i = 0; i < ndim; i++) s.dims[i] = va_arg(ap, int64_t);
    va_end(ap);
    return s;
}
SG__INTERNAL int64_t sg__known_prod(const sg_shape *s, int from, int to) { /* -1 if unknown or overflowing */
    int64_t p = 1;
    int i;
    for (i = from; i < to; i++) {
        if (s->dims[i] < 0) return -1;
        if (s->dims[i] && p > INT64_MAX / s->dims[i]) return -1;
        p *= s->dims[i];
    }
    return p;
}
/* ElemwiseShape: every input and output has one shape. */
SG__INTERNAL int sg__elemwise_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape d = sg__shape_unknown();
    char a[256], b[256];
    int i;
    for (i = 0; i < c->nin + c->nout; i++) {
        sg_shape *s = i < c->nin ? &in[i] : &out[i - c->nin];
        if (!sg__shape_merge(&d, s))
            return sg__fail(c, n, "Incompatible attr at %d-th %s: expected %s, got %s", i < c->nin ? i : i - c->nin,
                            i < c->nin ? "input" : "output", sg_shape_str(&d, a, sizeof a), sg_shape_str(s, b, sizeof b));
    }
    for (i = 0; i < c->nin; i++) in[i] = d;
    for (i = 0; i < c->nout; i++) out[i] = d;
    return SG_OK;
}
SG__INTERNAL int sg__type_err(sg__infer *c, const sg__node *n, int idx, int have, int want) {
    const char *a = sg_dtype_name(have), *b = sg_dtype_name(want);
    char nm[32];
    return sg__seterr(c->g, SG_ERR_TYPE, "Error in operator %s (%s): Type inconsistent for %s %d (%s), Provided = %s, inferred type = %s",
                      n->name, n->op->name, idx < c->nin ? "input" : "output", idx < c->nin ? idx : idx - c->nin,
                      idx < c->nin ? sg__node_input_name(n, idx, nm) : "output", a ? a : "unknown", b ? b : "unknown");
}
/* Type assign: idx counts inputs then outputs. */
SG__INTERNAL int sg__type_assign(sg__infer *c, const sg__node *n, int *t, int idx, int v) {
    if (v < 0) return SG_OK;
    if (*t < 0) { *t = v; return SG_OK; }
    if (*t != v) return sg__type_err(c, n, idx, *t, v);
    return SG_OK;
}
/* ElemwiseType: every input and output has one dtype. */
SG__INTERNAL int sg__elemwise_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    int d = -1, i, st;
    for (i = 0; i < c->nin; i++) if (in[i] >= 0) { d = in[i]; break; }
    if (d < 0) for (i = 0; i < c->nout; i++) if (out[i] >= 0) { d = out[i]; break; }
    if (d < 0) return SG_OK;
    for (i = 0; i < c->nin; i++) if ((st = sg__type_assign(c, n, &in[i], i, d)) != SG_OK) return st;
    for (i = 0; i < c->nout; i++) if ((st = sg__type_assign(c, n, &out[i], c->nin + i, d)) != SG_OK) return st;
    return SG_OK;
}
/* Normalise a possibly negative axis against ndim; -1 marks out of range. */
SG__INTERNAL int sg__axis(long long a, int ndim) {
    if (a < 0) a += ndim;
    return (a < 0 || a >= ndim) ? -1 : (int)a;
}

/* ---- kernel helpers ---- */
SG__INTERNAL void sg__sgemm_share(int impl, int part, int parts, int ta, int tb, int M, int N, int K, float alpha,
                                  const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc,
                                  float *ws);
SG__INTERNAL int sg__par_threads(void);
SG__INTERNAL void sg__parallel(int parts, sg__task_fn task, void *ctx);
#define SG__F(a) ((float *)(a)->data)
/* dst = v (write) or dst += v (add) */
#define SG__PUT(req, dst, v) do { if ((req) == SG_REQ_ADD) (dst) += (v); else (dst) = (v); } while (0)
/* The library GEMM from a kernel (the executor's implementation and workspace). */
SG__INTERNAL void sg__kgemm(sg__kctx *k, int ta, int tb, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                            int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    sg__sgemm_share(k->gemm, k->gemm_part, k->gemm_parts, ta, tb, (int)M, (int)N, (int)K, alpha, A, (int)lda, B,
                    (int)ldb, beta, C, (int)ldc, k->gemm_ws);
}
/* Range-parallel loops (Activation, Pooling, BatchNorm): fn(ctx, a, b) over
 * [0, n) cut into one contiguous range per thread (sg__parallel) when `work`,
 * the elements the loop reads and writes, is at least SG__PAR_MIN_WORK, else
 * one call on the caller's thread. Each range writes only its own outputs, in
 * the order of the serial loop, so the results are the same bits for every
 * thread count. */
#ifndef SG__PAR_MIN_WORK
#define SG__PAR_MIN_WORK 65536.0
#endif
typedef void (*sg__range_fn)(void *ctx, int64_t a, int64_t b);
typedef struct sg__rangepar {
    sg__range_fn fn;
    void *ctx;
    int64_t n;
} sg__rangepar;
SG__INTERNAL void sg__range_part(void *ctx, int p, int parts) {
    const sg__rangepar *r = (const sg__rangepar *)ctx;
    r->fn(r->ctx, r->n * p / parts, r->n * (p + 1) / parts);
}
SG__INTERNAL void sg__par_range(int64_t n, double work, sg__range_fn fn, void *ctx) {
    sg__rangepar r;
    int parts = work >= SG__PAR_MIN_WORK ? sg__par_threads() : 1;
    if ((int64_t)parts > n) parts = (int)n;
    if (parts <= 1) {
        if (n > 0) fn(ctx, 0, n);
        return;
    }
    r.fn = fn;
    r.ctx = ctx;
    r.n = n;
    sg__parallel(parts, sg__range_part, &r);
}
/* Kernels of float32-only operators check their dtypes with this. */
SG__INTERNAL int sg__need_f32(sg__kctx *k, const sg__node *n, sg_ndarray *const *a, int cnt) {
    int i;
    for (i = 0; i < cnt; i++)
        if (a[i] && a[i]->dtype != SG_FLOAT32)
            return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): dtype %s is not supported (float32 only)",
                              n->name, n->op->name, sg_dtype_name(a[i]->dtype) ? sg_dtype_name(a[i]->dtype) : "?");
    return SG_OK;
}

/* Shorthands for the operator blocks below. */
#define SG__NP(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SG__IN_KNOWN_NDIM(s) ((s).ndim >= 0)

/* ---------------------------------------------------------------------------
 * Elementwise binary: elemwise_add / sub / mul / div, _power, _maximum,
 * _minimum, comparisons. Inputs lhs, rhs; no parameters (any attribute).
 * ------------------------------------------------------------------------- */
/* ---- helpers shared by the tensor kernels ---- */
#define SG__D(a) ((double *)(a)->data)
/* libm by type suffix: SG__MF(f, exp) is expf, SG__MF(d, exp) is exp */
#define SG__MF(S, fn) SG__MF_##S(fn)
#define SG__MF_f(fn) fn##f
#define SG__MF_d(fn) fn
#define SG__CHUNK 256 /* elements per stack buffer of the generic (double) paths */
SG__INTERNAL double sg__load(const void *p, int dtype, int64_t i); /* section 6 */
SG__INTERNAL void sg__store(void *p, int dtype, int64_t i, double v);

SG__INTERNAL int sg__dtype_err(sg__kctx *k, const sg__node *n, int dtype) {
    const char *nm = sg_dtype_name(dtype);
    return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): dtype %s is not supported", n->name, n->op->name,
                      nm ? nm : "?");
}
/* Every non-NULL array has one dtype, float32 or float64 (or int32 when ints). */
SG__INTERNAL int sg__need_fd(sg__kctx *k, const sg__node *n, sg_ndarray *const *a, int cnt, int ints) {
    int i, t = -1;
    for (i = 0; i < cnt; i++) {
        if (!a[i]) continue;
        if (t < 0) t = a[i]->dtype;
        if (a[i]->dtype != t || !(t == SG_FLOAT32 || t == SG_FLOAT64 || (ints && t == SG_INT32)))
            return sg__dtype_err(k, n, a[i]->dtype);
    }
    return SG_OK;
}
/* No output gradient (og NULL): the input gradients are zero. */
SG__INTERNAL void sg__zero_ig(sg_ndarray *const *ig, const int *req, int nin) {
    int i;
    for (i = 0; i < nin; i++)
        if (ig[i] && req[i] != SG_REQ_ADD && ig[i]->nbytes) memset(ig[i]->data, 0, ig[i]->nbytes);
}
/* dst[di..di+n) = src[si..si+n) (write) or += (SG_REQ_ADD); any dtype. */
SG__INTERNAL void sg__put_n(int dtype, void *dst, int64_t di, const void *src, int64_t si, int64_t n, int req) {
    size_t es = sg_dtype_size(dtype);
    int64_t i;
    if (n <= 0) return;
    if (req != SG_REQ_ADD) {
        char *d = (char *)dst + (size_t)di * es;
        const char *s = (const char *)src + (size_t)si * es;
        if (d != s) memmove(d, s, (size_t)n * es);
        return;
    }
    switch (dtype) {
    case SG_FLOAT32: {
        float *d = (float *)dst + di;
        const float *s = (const float *)src + si;
        for (i = 0; i < n; i++) d[i] += s[i];
        break;
    }
    case SG_FLOAT64: {
        double *d = (double *)dst + di;
        const double *s = (const double *)src + si;
        for (i = 0; i < n; i++) d[i] += s[i];
        break;
    }
    default:
        for (i = 0; i < n; i++)
            sg__store(dst, dtype, di + i, sg__load(dst, dtype, di + i) + sg__load(src, dtype, si + i));
    }
}
SG__INTERNAL void sg__zero_n(int dtype, void *dst, int64_t di, int64_t n) {
    size_t es = sg_dtype_size(dtype);
    if (n > 0) memset((char *)dst + (size_t)di * es, 0, (size_t)n * es);
}
/* An array's shape as the kernels see it: a 0-d array is (1,), as inference treats it. */
SG__INTERNAL sg_shape sg__kshape(const sg_ndarray *a) {
    sg_shape s = a->shape;
    if (s.ndim == 0) { s.ndim = 1; s.dims[0] = 1; }
    return s;
}
SG__INTERNAL void sg__cstrides(const sg_shape *s, int64_t *st) {
    int64_t m = 1;
    int i;
    for (i = s->ndim - 1; i >= 0; i--) { st[i] = m; m *= s->dims[i]; }
}
SG__INTERNAL int32_t sg__i32(int64_t v) { return (int32_t)(uint32_t)(uint64_t)v; }
SG__INTERNAL int32_t sg__i32f(double v) { /* as sg__store converts to int32 */
    return sg__i32((v != v) ? 0 : (v >= 9.2e18 ? INT64_MAX : v <= -9.2e18 ? INT64_MIN : (int64_t)v));
}
/* float to int32 as MXNet's int32 kernels convert on x86 (cvttss2si): truncated,
 * and INT32_MIN for NaN and values out of range. */
SG__INTERNAL int32_t sg__i32x(float v) {
    return (v != v || v >= 2147483648.0f || v < -2147483648.0f) ? INT32_MIN : (int32_t)v;
}

/* Walks an n-d index space in row-major order one row (the last dim) at a
 * time, keeping the element offsets of three operands with their own strides
 * (0 on broadcast or reduced axes). Fill nd, dims and st, then sg__walk_start:
 * dims of size 1 are dropped and dims whose strides allow it are merged. */
typedef struct sg__walk {
    int nd;
    int64_t dims[SG_MAX_NDIM], st[3][SG_MAX_NDIM], idx[SG_MAX_NDIM];
    int64_t off[3], s[3]; /* current row's offsets; strides along a row */
    int64_t rows, len;
} sg__walk;
SG__INTERNAL void sg__walk_start(sg__walk *w) {
    int i, k, m = 0;
    for (i = 0; i < w->nd; i++) {
        if (w->dims[i] == 1) continue;
        if (m > 0 && w->st[0][m - 1] == w->st[0][i] * w->dims[i] && w->st[1][m - 1] == w->st[1][i] * w->dims[i] &&
            w->st[2][m - 1] == w->st[2][i] * w->dims[i]) {
            w->dims[m - 1] *= w->dims[i];
            for (k = 0; k < 3; k++) w->st[k][m - 1] = w->st[k][i];
        } else {
            w->dims[m] = w->dims[i];
            for (k = 0; k < 3; k++) w->st[k][m] = w->st[k][i];
            m++;
        }
    }
    if (m == 0) {
        w->dims[0] = 1;
        for (k = 0; k < 3; k++) w->st[k][0] = 0;
        m = 1;
    }
    w->nd = m;
    w->len = w->dims[m - 1];
    for (k = 0; k < 3; k++) { w->s[k] = w->st[k][m - 1]; w->off[k] = 0; }
    w->rows = w->len ? 1 : 0;
    for (i = 0; i < m - 1; i++) { w->rows *= w->dims[i]; w->idx[i] = 0; }
}
SG__INTERNAL void sg__walk_next(sg__walk *w) {
    int d, k;
    for (d = w->nd - 2; d >= 0; d--) {
        for (k = 0; k < 3; k++) w->off[k] += w->st[k][d];
        if (++w->idx[d] < w->dims[d]) return;
        for (k = 0; k < 3; k++) w->off[k] -= w->st[k][d] * w->dims[d];
        w->idx[d] = 0;
    }
}
#define SG__WALK(w, r) for ((r) = 0; (r) < (w).rows; (r)++, sg__walk_next(&(w)))

/* The binary operators behind the elementwise, broadcast and scalar kernels: a
 * scalar op is op(x, s), or op(s, x) when rev. The name is looked up once per call. */
enum { SG__B_ADD, SG__B_SUB, SG__B_MUL, SG__B_DIV, SG__B_POW, SG__B_MAX, SG__B_MIN, SG__B_EQ, SG__B_NE, SG__B_GT,
       SG__B_GE, SG__B_LT, SG__B_LE };
typedef struct sg__binop { const char *name; int op, rev; } sg__binop;
static const sg__binop sg__binops[] = {
    {"elemwise_add", SG__B_ADD, 0}, {"elemwise_sub", SG__B_SUB, 0}, {"elemwise_mul", SG__B_MUL, 0},
    {"elemwise_div", SG__B_DIV, 0}, {"_power", SG__B_POW, 0}, {"_maximum", SG__B_MAX, 0},
    {"_minimum", SG__B_MIN, 0}, {"_equal", SG__B_EQ, 0}, {"_not_equal", SG__B_NE, 0},
    {"_greater", SG__B_GT, 0}, {"_greater_equal", SG__B_GE, 0}, {"_lesser", SG__B_LT, 0},
    {"_lesser_equal", SG__B_LE, 0},
    {"broadcast_add", SG__B_ADD, 0}, {"broadcast_sub", SG__B_SUB, 0}, {"broadcast_mul", SG__B_MUL, 0},
    {"broadcast_div", SG__B_DIV, 0},
    {"_plus_scalar", SG__B_ADD, 0}, {"_minus_scalar", SG__B_SUB, 0}, {"_rminus_scalar", SG__B_SUB, 1},
    {"_mul_scalar", SG__B_MUL, 0}, {"_div_scalar", SG__B_DIV, 0}, {"_rdiv_scalar", SG__B_DIV, 1},
    {"_power_scalar", SG__B_POW, 0}, {"_rpower_scalar", SG__B_POW, 1}, {"_maximum_scalar", SG__B_MAX, 0},
    {"_minimum_scalar", SG__B_MIN, 0}, {"_equal_scalar", SG__B_EQ, 0}, {"_not_equal_scalar", SG__B_NE, 0},
    {"_greater_scalar", SG__B_GT, 0}, {"_greater_equal_scalar", SG__B_GE, 0}, {"_lesser_scalar", SG__B_LT, 0},
    {"_lesser_equal_scalar", SG__B_LE, 0},
};
SG__INTERNAL const sg__binop *sg__binop_of(sg__kctx *k, const sg__node *n) {
    int i;
    for (i = 0; i < SG__NP(sg__binops); i++)
        if (!strcmp(sg__binops[i].name, n->op->name)) return &sg__binops[i];
    sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): no binary kernel", n->name, n->op->name);
    return NULL;
}
#define SG__B_CMP(op) ((op) >= SG__B_EQ)

/* One row: y[j] = op(a[j*sa], b[j*sb]). y may be a (in place). */
#define SG__BROW(T, E)                                                                                             \
    do {                                                                                                           \
        int64_t j_;                                                                                                \
        if (sa == 1 && sb == 1) for (j_ = 0; j_ < n; j_++) { T A = a[j_], B = b[j_]; y[j_] = (E); }               \
        else if (sa == 1 && sb == 0) { T B = b[0]; for (j_ = 0; j_ < n; j_++) { T A = a[j_]; y[j_] = (E); } }    \
        else if (sa == 0 && sb == 1) { T A = a[0]; for (j_ = 0; j_ < n; j_++) { T B = b[j_]; y[j_] = (E); } }    \
        else for (j_ = 0; j_ < n; j_++) { T A = a[j_ * sa], B = b[j_ * sb]; y[j_] = (E); }                        \
    } while (0)
/* One row of the gradient of side 0 (lhs) or 1 (rhs): d[j*sd] = or += E(G, A, B). */
#define SG__BGROW(T, E)                                                                                             \
    do {                                                                                                           \
        int64_t j_;                                                                                                \
        if (sg == 1 && sa == 1 && sb == 1 && sd == 1) {                                                            \
            if (add) for (j_ = 0; j_ < n; j_++) { T G = g[j_], A = a[j_], B = b[j_]; (void)G; (void)A; (void)B; d[j_] += (E); } \
            else for (j_ = 0; j_ < n; j_++) { T G = g[j_], A = a[j_], B = b[j_]; (void)G; (void)A; (void)B; d[j_] = (E); }     \
        } else if (sd == 0 && add) { /* a row summed into one gradient element */                                  \
            T acc_ = 0;                                                                                            \
            for (j_ = 0; j_ < n; j_++) { T G = g[j_ * sg], A = a[j_ * sa], B = b[j_ * sb]; (void)G; (void)A; (void)B; acc_ += (E); } \
            d[0] += acc_;                                                                                          \
        } else {                                                                                                   \
            if (add) for (j_ = 0; j_ < n; j_++) { T G = g[j_ * sg], A = a[j_ * sa], B = b[j_ * sb]; (void)G; (void)A; (void)B; d[j_ * sd] += (E); } \
            else for (j_ = 0; j_ < n; j_++) { T G = g[j_ * sg], A = a[j_ * sa], B = b[j_ * sb]; (void)G; (void)A; (void)B; d[j_ * sd] = (E); }     \
        }                                                                                                          \
    } while (0)
#define SG__BIN_DEF(S, T)                                                                                          \
    SG__INTERNAL void sg__bin_row_##S(int op, int64_t n, const T *a, int64_t sa, const T *b, int64_t sb, T *y) {    \
        switch (op) {                                                                                              \
        case SG__B_ADD: SG__BROW(T, A + B); break;                                                                 \
        case SG__B_SUB: SG__BROW(T, A - B); break;                                                                 \
        case SG__B_MUL: SG__BROW(T, A * B); break;                                                                 \
        case SG__B_DIV: SG__BROW(T, A / B); break;                                                                 \
        case SG__B_POW: SG__BROW(T, SG__MF(S, pow)(A, B)); break;                                                  \
        case SG__B_MAX: SG__BROW(T, A != A || A > B ? A : B); break; /* NaN in either gives NaN, as MXNet */        \
        case SG__B_MIN: SG__BROW(T, A != A || A < B ? A : B); break;                                               \
        case SG__B_EQ: SG__BROW(T, (T)(A == B)); break;                                                            \
        case SG__B_NE: SG__BROW(T, (T)(A != B)); break;                                                            \
        case SG__B_GT: SG__BROW(T, (T)(A > B)); break;                                                             \
        case SG__B_GE: SG__BROW(T, (T)(A >= B)); break;                                                            \
        case SG__B_LT: SG__BROW(T, (T)(A < B)); break;                                                             \
        case SG__B_LE: SG__BROW(T, (T)(A <= B)); break;                                                            \
        }                                                                                                          \
    }                                                                                                              \
    SG__INTERNAL void sg__bin_grad_##S(int op, int side, int64_t n, const T *g, int64_t sg, const T *a, int64_t sa,  \
                                       const T *b, int64_t sb, T *d, int64_t sd, int add) {                        \
        switch (op * 2 + side) {                                                                                   \
        case SG__B_ADD * 2: case SG__B_ADD * 2 + 1: case SG__B_SUB * 2: SG__BGROW(T, G); break;                     \
        case SG__B_SUB * 2 + 1: SG__BGROW(T, -G); break;                                                            \
        case SG__B_MUL * 2: SG__BGROW(T, G * B); break;                                                             \
        case SG__B_MUL * 2 + 1: SG__BGROW(T, G * A); break;                                                         \
        case SG__B_DIV * 2: SG__BGROW(T, G / B); break;                                                             \
        case SG__B_DIV * 2 + 1: SG__BGROW(T, -G * A / (B * B)); break;                                              \
        case SG__B_POW * 2: SG__BGROW(T, G * B * SG__MF(S, pow)(A, B - 1)); break;                                  \
        case SG__B_POW * 2 + 1: SG__BGROW(T, G * SG__MF(S, log)(A) * SG__MF(S, pow)(A, B)); break;                  \
        case SG__B_MAX * 2: SG__BGROW(T, A >= B ? G : (T)0); break;                                                 \
        case SG__B_MAX * 2 + 1: SG__BGROW(T, A < B ? G : (T)0); break;                                              \
        case SG__B_MIN * 2: SG__BGROW(T, A <= B ? G : (T)0); break;                                                 \
        case SG__B_MIN * 2 + 1: SG__BGROW(T, A > B ? G : (T)0); break;                                              \
        default: SG__BGROW(T, (T)0); break; /* comparisons */                                                       \
        }                                                                                                          \
    }
SG__BIN_DEF(f, float)
SG__BIN_DEF(d, double)
/* int32 with C semantics: wrap-around, division truncating (x/0 gives 0), powf. */
SG__INTERNAL void sg__bin_row_i(int op, int64_t n, const int32_t *a, int64_t sa, const int32_t *b, int64_t sb, int32_t *y) {
    switch (op) {
    case SG__B_ADD: SG__BROW(int64_t, sg__i32(A + B)); break;
    case SG__B_SUB: SG__BROW(int64_t, sg__i32(A - B)); break;
    case SG__B_MUL: SG__BROW(int64_t, sg__i32(A * B)); break;
    case SG__B_DIV: SG__BROW(int64_t, B ? sg__i32(A / B) : 0); break;
    case SG__B_POW: SG__BROW(int64_t, sg__i32f(powf((float)A, (float)B))); break;
    case SG__B_MAX: SG__BROW(int64_t, (int32_t)(A > B ? A : B)); break;
    case SG__B_MIN: SG__BROW(int64_t, (int32_t)(A < B ? A : B)); break;
    case SG__B_EQ: SG__BROW(int64_t, A == B); break;
    case SG__B_NE: SG__BROW(int64_t, A != B); break;
    case SG__B_GT: SG__BROW(int64_t, A > B); break;
    case SG__B_GE: SG__BROW(int64_t, A >= B); break;
    case SG__B_LT: SG__BROW(int64_t, A < B); break;
    case SG__B_LE: SG__BROW(int64_t, A <= B); break;
    }
}
/* Operands of the generic paths: any dtype, a stride (0: one value). */
typedef struct sg__src { const void *p; int dtype; int64_t st; } sg__src;
SG__INTERNAL sg__src sg__src_of(const void *p, int dtype, int64_t st) {
    sg__src s;
    s.p = p; s.dtype = dtype; s.st = st;
    return s;
}
SG__INTERNAL void sg__src_load(double *buf, sg__src s, int64_t i0, int64_t m) {
    int64_t j;
    for (j = 0; j < m; j++) buf[j] = sg__load(s.p, s.dtype, (i0 + j) * s.st);
}
/* Generic forward through double: y (any dtype) = op(a, b). */
SG__INTERNAL void sg__bin_any(int op, int64_t n, sg__src a, sg__src b, void *y, int ydt) {
    double ab[SG__CHUNK], bb[SG__CHUNK], yb[SG__CHUNK];
    int64_t i0, j, m;
    for (i0 = 0; i0 < n; i0 += m) {
        m = n - i0 < SG__CHUNK ? n - i0 : SG__CHUNK;
        sg__src_load(ab, a, i0, m);
        sg__src_load(bb, b, i0, m);
        sg__bin_row_d(op, m, ab, 1, bb, 1, yb);
        for (j = 0; j < m; j++) sg__store(y, ydt, i0 + j, yb[j]);
    }
}
/* Generic gradient through double into d (any dtype, contiguous) per req. */
SG__INTERNAL void sg__bin_grad_any(int op, int side, int64_t n, sg__src g, sg__src a, sg__src b, void *d, int ddt, int req) {
    double gb[SG__CHUNK], ab[SG__CHUNK], bb[SG__CHUNK], db[SG__CHUNK];
    int64_t i0, j, m;
    for (i0 = 0; i0 < n; i0 += m) {
        m = n - i0 < SG__CHUNK ? n - i0 : SG__CHUNK;
        sg__src_load(gb, g, i0, m);
        sg__src_load(ab, a, i0, m);
        sg__src_load(bb, b, i0, m);
        sg__bin_grad_d(op, side, m, gb, 1, ab, 1, bb, 1, db, 1, 0);
        for (j = 0; j < m; j++)
            sg__store(d, ddt, i0 + j, req == SG_REQ_ADD ? sg__load(d, ddt, i0 + j) + db[j] : db[j]);
    }
}

SG__INTERNAL int sg__ebin_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    const sg__binop *b = sg__binop_of(k, n);
    sg_ndarray *arr[3];
    int st;
    if (!b) return SG_ERR_UNSUPPORTED;
    arr[0] = in[0]; arr[1] = in[1]; arr[2] = out[0];
    if ((st = sg__need_fd(k, n, arr, 3, 1)) != SG_OK) return st;
    switch (out[0]->dtype) {
    case SG_FLOAT32: sg__bin_row_f(b->op, out[0]->size, SG__F(in[0]), 1, SG__F(in[1]), 1, SG__F(out[0])); break;
    case SG_FLOAT64: sg__bin_row_d(b->op, out[0]->size, SG__D(in[0]), 1, SG__D(in[1]), 1, SG__D(out[0])); break;
    default:
        sg__bin_row_i(b->op, out[0]->size, (const int32_t *)in[0]->data, 1, (const int32_t *)in[1]->data, 1,
                      (int32_t *)out[0]->data);
    }
    return SG_OK;
}
SG__INTERNAL int sg__ebin_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                              sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    const sg__binop *b = sg__binop_of(k, n);
    sg_ndarray *arr[5];
    int st, side;
    int64_t cnt = in[0]->size;
    (void)out;
    if (!b) return SG_ERR_UNSUPPORTED;
    if (!og[0]) { sg__zero_ig(ig, req, 2); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = in[1]; arr[3] = ig[0]; arr[4] = ig[1];
    if ((st = sg__need_fd(k, n, arr, 5, 1)) != SG_OK) return st;
    for (side = 0; side < 2; side++) { /* lhs first: ig[0] may be ig[1] (a*a) */
        sg_ndarray *d = ig[side];
        int add = req[side] == SG_REQ_ADD;
        if (!d) continue;
        if (SG__B_CMP(b->op)) { if (!add && d->nbytes) memset(d->data, 0, d->nbytes); continue; }
        switch (d->dtype) {
        case SG_FLOAT32:
            sg__bin_grad_f(b->op, side, cnt, SG__F(og[0]), 1, SG__F(in[0]), 1, SG__F(in[1]), 1, SG__F(d), 1, add);
            break;
        case SG_FLOAT64:
            sg__bin_grad_d(b->op, side, cnt, SG__D(og[0]), 1, SG__D(in[0]), 1, SG__D(in[1]), 1, SG__D(d), 1, add);
            break;
        default:
            sg__bin_grad_any(b->op, side, cnt, sg__src_of(og[0]->data, og[0]->dtype, 1),
                             sg__src_of(in[0]->data, in[0]->dtype, 1), sg__src_of(in[1]->data, in[1]->dtype, 1),
                             d->data, d->dtype, req[side]);
        }
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Scalar family: _plus_scalar ... _rpower_scalar. Input data.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_scalar[] = {
    {"scalar", SG__P_FLOAT, "1", NULL, SG__PF_F64},
    {"is_int", SG__P_BOOL, "True", NULL, 0},
};
SG__INTERNAL int sg__is_int_dtype(int t) { return t == SG_UINT8 || t == SG_INT8 || t == SG_INT32 || t == SG_INT64; }
SG__INTERNAL int sg__scalar_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    int is_int = (int)SG__PI(n, "is_int"), st;
    if (sg__is_int_dtype(in[0]) && !is_int) return sg__type_assign(c, n, &out[0], 1, SG_FLOAT64);
    if (in[0] == SG_BOOL) return sg__type_assign(c, n, &out[0], 1, is_int ? SG_INT64 : SG_FLOAT64);
    if ((st = sg__type_assign(c, n, &out[0], 1, in[0])) != SG_OK) return st;
    return sg__type_assign(c, n, &in[0], 0, out[0]);
}
/* y = op(x, s) or op(s, x). s is float for float32 (DType(scalar), as MXNet),
 * truncated for int32; an int input with is_int False computes in double. */
SG__INTERNAL int sg__scalar_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    const sg__binop *b = sg__binop_of(k, n);
    double s = SG__PF(n, "scalar");
    const sg_ndarray *x = in[0];
    sg_ndarray *y = out[0];
    int64_t cnt = y->size;
    if (!b) return SG_ERR_UNSUPPORTED;
    if (x->dtype == y->dtype && y->dtype == SG_FLOAT32) {
        float sv = (float)s;
        if (b->rev) sg__bin_row_f(b->op, cnt, &sv, 0, SG__F(x), 1, SG__F(y));
        else sg__bin_row_f(b->op, cnt, SG__F(x), 1, &sv, 0, SG__F(y));
    } else if (x->dtype == y->dtype && y->dtype == SG_FLOAT64) {
        if (b->rev) sg__bin_row_d(b->op, cnt, &s, 0, SG__D(x), 1, SG__D(y));
        else sg__bin_row_d(b->op, cnt, SG__D(x), 1, &s, 0, SG__D(y));
    } else if (x->dtype == y->dtype && y->dtype == SG_INT32) {
        int32_t sv = sg__i32f(s);
        if (b->rev) sg__bin_row_i(b->op, cnt, &sv, 0, (const int32_t *)x->data, 1, (int32_t *)y->data);
        else sg__bin_row_i(b->op, cnt, (const int32_t *)x->data, 1, &sv, 0, (int32_t *)y->data);
    } else if (y->dtype == SG_FLOAT64 && sg__is_int_dtype(x->dtype)) {
        sg__src xs = sg__src_of(x->data, x->dtype, 1), ss = sg__src_of(&s, SG_FLOAT64, 0);
        if (b->rev) sg__bin_any(b->op, cnt, ss, xs, y->data, y->dtype);
        else sg__bin_any(b->op, cnt, xs, ss, y->data, y->dtype);
    } else {
        return sg__dtype_err(k, n, x->dtype);
    }
    return SG_OK;
}
SG__INTERNAL int sg__scalar_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    const sg__binop *b = sg__binop_of(k, n);
    double s = SG__PF(n, "scalar");
    const sg_ndarray *x = in[0], *g = og[0];
    sg_ndarray *d = ig[0];
    int64_t cnt = x->size, sx = b && b->rev ? 0 : 1;
    int add = req[0] == SG_REQ_ADD;
    (void)out;
    if (!b) return SG_ERR_UNSUPPORTED;
    if (!d) return SG_OK;
    if (!g || SG__B_CMP(b->op)) { sg__zero_ig(ig, req, 1); return SG_OK; }
    if (x->dtype == g->dtype && x->dtype == SG_FLOAT32) {
        float sv = (float)s;
        const float *xa = SG__F(x);
        sg__bin_grad_f(b->op, b->rev, cnt, SG__F(g), 1, b->rev ? &sv : xa, sx, b->rev ? xa : &sv, 1 - sx, SG__F(d), 1, add);
    } else if (x->dtype == g->dtype && x->dtype == SG_FLOAT64) {
        const double *xa = SG__D(x);
        sg__bin_grad_d(b->op, b->rev, cnt, SG__D(g), 1, b->rev ? &s : xa, sx, b->rev ? xa : &s, 1 - sx, SG__D(d), 1, add);
    } else if ((x->dtype == g->dtype && x->dtype == SG_INT32) || (g->dtype == SG_FLOAT64 && sg__is_int_dtype(x->dtype))) {
        double sv = g->dtype == SG_INT32 ? (double)sg__i32f(s) : s;
        sg__src xs = sg__src_of(x->data, x->dtype, 1), ss = sg__src_of(&sv, SG_FLOAT64, 0);
        sg__bin_grad_any(b->op, b->rev, cnt, sg__src_of(g->data, g->dtype, 1), b->rev ? ss : xs, b->rev ? xs : ss,
                         d->data, d->dtype, req[0]);
    } else {
        return sg__dtype_err(k, n, x->dtype);
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * broadcast_add / sub / mul / div (numpy broadcasting, forward inference only)
 * ------------------------------------------------------------------------- */
SG__INTERNAL int sg__broadcast_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg_shape *l = &in[0], *r = &in[1];
    sg_shape o;
    char a[256], b[256];
    int i, bl, br;
    if (l->ndim < 0 || r->ndim < 0) return SG_OK;
    if (sg__shape_eq(l, r)) return sg__out_assign(c, n, out, 0, *l);
    o = sg__shape_unknown();
    o.ndim = l->ndim > r->ndim ? l->ndim : r->ndim;
    bl = o.ndim - l->ndim;
    br = o.ndim - r->ndim;
    for (i = 0; i < o.ndim; i++) {
        int64_t lv = i >= bl ? l->dims[i - bl] : 1, rv = i >= br ? r->dims[i - br] : 1;
        o.dims[i] = -1;
        if (lv < 0 || rv < 0) continue;
        if (lv != rv) {
            if (lv != 1 && rv != 1)
                return sg__fail(c, n, "operands could not be broadcast together with shapes %s %s",
                                sg_shape_str(l, a, sizeof a), sg_shape_str(r, b, sizeof b));
            o.dims[i] = lv == 1 ? rv : lv;
        } else {
            o.dims[i] = lv;
        }
    }
    return sg__out_assign(c, n, out, 0, o);
}
/* The walk over the output shape: operand 0 lhs, 1 rhs, 2 the output, each
 * left-padded with 1s (stride 0 on its broadcast axes). */
SG__INTERNAL void sg__bcast_walk(const sg_ndarray *l, const sg_ndarray *r, const sg_ndarray *o, sg__walk *w) {
    sg_shape sh[3];
    int k, i;
    sh[0] = sg__kshape(l); sh[1] = sg__kshape(r); sh[2] = sg__kshape(o);
    w->nd = sh[2].ndim;
    for (i = 0; i < w->nd; i++) w->dims[i] = sh[2].dims[i];
    for (k = 0; k < 3; k++) {
        int64_t m = 1;
        int pad = w->nd - sh[k].ndim;
        for (i = w->nd - 1; i >= 0; i--) {
            int64_t dim = i >= pad ? sh[k].dims[i - pad] : 1;
            w->st[k][i] = (dim == 1 && w->dims[i] != 1) ? 0 : m;
            m *= dim;
        }
    }
    sg__walk_start(w);
}
SG__INTERNAL int sg__bcast_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    const sg__binop *b = sg__binop_of(k, n);
    sg_ndarray *arr[3];
    sg__walk w;
    int64_t r;
    int st;
    if (!b) return SG_ERR_UNSUPPORTED;
    arr[0] = in[0]; arr[1] = in[1]; arr[2] = out[0];
    if ((st = sg__need_fd(k, n, arr, 3, 1)) != SG_OK) return st;
    sg__bcast_walk(in[0], in[1], out[0], &w);
    if (out[0]->dtype == SG_INT32) {
        const int32_t *a = (const int32_t *)in[0]->data, *c = (const int32_t *)in[1]->data;
        int32_t *y = (int32_t *)out[0]->data;
        SG__WALK(w, r) sg__bin_row_i(b->op, w.len, a + w.off[0], w.s[0], c + w.off[1], w.s[1], y + w.off[2]);
    } else if (out[0]->dtype == SG_FLOAT32) {
        const float *a = SG__F(in[0]), *c = SG__F(in[1]);
        float *y = SG__F(out[0]);
        SG__WALK(w, r) sg__bin_row_f(b->op, w.len, a + w.off[0], w.s[0], c + w.off[1], w.s[1], y + w.off[2]);
    } else {
        const double *a = SG__D(in[0]), *c = SG__D(in[1]);
        double *y = SG__D(out[0]);
        SG__WALK(w, r) sg__bin_row_d(b->op, w.len, a + w.off[0], w.s[0], c + w.off[1], w.s[1], y + w.off[2]);
    }
    return SG_OK;
}
/* Each input's gradient is the elementwise one summed over its broadcast axes. */
SG__INTERNAL int sg__bcast_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                               sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    const sg__binop *b = sg__binop_of(k, n);
    sg_ndarray *arr[5];
    sg__walk w;
    int64_t r;
    int st, side;
    (void)out;
    if (!b) return SG_ERR_UNSUPPORTED;
    if (!og[0]) { sg__zero_ig(ig, req, 2); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = in[1]; arr[3] = ig[0]; arr[4] = ig[1];
    if ((st = sg__need_fd(k, n, arr, 5, 0)) != SG_OK) return st;
    for (side = 0; side < 2; side++) { /* lhs first: ig[0] may be ig[1] */
        sg_ndarray *d = ig[side];
        int add = req[side] == SG_REQ_ADD, whole = d && d->size == og[0]->size;
        if (!d) continue;
        if (!whole) { /* summed: start from zero, then accumulate */
            if (!add && d->nbytes) memset(d->data, 0, d->nbytes);
            add = 1;
        }
        sg__bcast_walk(in[0], in[1], og[0], &w);
        if (d->dtype == SG_FLOAT32) {
            const float *a = SG__F(in[0]), *c = SG__F(in[1]), *g = SG__F(og[0]);
            float *dp = SG__F(d);
            SG__WALK(w, r)
                sg__bin_grad_f(b->op, side, w.len, g + w.off[2], w.s[2], a + w.off[0], w.s[0], c + w.off[1], w.s[1],
                               dp + w.off[side], w.s[side], add);
        } else {
            const double *a = SG__D(in[0]), *c = SG__D(in[1]), *g = SG__D(og[0]);
            double *dp = SG__D(d);
            SG__WALK(w, r)
                sg__bin_grad_d(b->op, side, w.len, g + w.off[2], w.s[2], a + w.off[0], w.s[0], c + w.off[1], w.s[1],
                               dp + w.off[side], w.s[side], add);
        }
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * dot / batch_dot
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_dot[] = {
    {"transpose_a", SG__P_BOOL, "False", NULL, 0},
    {"transpose_b", SG__P_BOOL, "False", NULL, 0},
    {"forward_stype", SG__P_ENUM, "None", "csr|default|row_sparse", SG__PF_OPT},
};
SG__INTERNAL int sg__dot_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg_shape *l = &in[0], *r = &in[1];
    int ta = (int)SG__PI(n, "transpose_a"), tb = (int)SG__PI(n, "transpose_b"), i;
    char a[256], b[256];
    sg_shape o;
    if (l->ndim < 0 || r->ndim < 0) return SG_OK;
    sg_shape_str(l, a, sizeof a);
    sg_shape_str(r, b, sizeof b);
    if (l->ndim == 0 || r->ndim == 0) return sg__fail(c, n, "dot shape error: %s X %s", a, b);
    if (l->ndim == 1 && r->ndim == 1) {
        if (ta || tb) return sg__fail(c, n, "Cannot transpose vectors");
        if (l->dims[0] >= 0 && r->dims[0] >= 0 && l->dims[0] != r->dims[0])
            return sg__fail(c, n, "dot shape error: %s X %s", a, b);
        return sg__out_assign(c, n, out, 0, sg__shp(1, (int64_t)1));
    }
    /* MXNet compares L[!Ta].Size() with R[Tb].Size(); Size() rejects unknown dims */
    {
        int64_t ls = ta ? l->dims[0] : l->dims[l->ndim - 1];
        int64_t rs = tb ? r->dims[r->ndim - 1] : r->dims[0];
        if (ls < 0 || rs < 0) return sg__fail(c, n, "Shape dim size cannot be a negative value -1 (dot of %s X %s)", a, b);
        if (ls != 0 && rs != 0 && ls != rs) return sg__fail(c, n, "dot shape error: %s X %s", a, b);
    }
    o = sg__shape_unknown();
    o.ndim = 0;
    if (l->ndim > 1) {
        if (ta) for (i = 1; i < l->ndim; i++) o.dims[o.ndim++] = l->dims[i];
        else for (i = 0; i < l->ndim - 1; i++) o.dims[o.ndim++] = l->dims[i];
    }
    if (r->ndim > 1) {
        if (o.ndim + r->ndim - 1 > SG_MAX_NDIM) return sg__fail(c, n, "dot output has more than %d dims", SG_MAX_NDIM);
        if (tb) for (i = 0; i < r->ndim - 1; i++) o.dims[o.ndim++] = r->dims[i];
        else for (i = 1; i < r->ndim; i++) o.dims[o.ndim++] = r->dims[i];
    }
    return sg__out_assign(c, n, out, 0, o);
}
/* int32 GEMM with wrap-around: C = op(A) op(B) (+ C when add). */
SG__INTERNAL void sg__igemm(int ta, int tb, int64_t M, int64_t N, int64_t K, const int32_t *A, int64_t lda,
                            const int32_t *B, int64_t ldb, int add, int32_t *C, int64_t ldc) {
    int64_t i, j, q;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++) {
            uint32_t acc = add ? (uint32_t)C[i * ldc + j] : 0u;
            for (q = 0; q < K; q++)
                acc += (uint32_t)(ta ? A[q * lda + i] : A[i * lda + q]) * (uint32_t)(tb ? B[j * ldb + q] : B[q * ldb + j]);
            C[i * ldc + j] = (int32_t)acc;
        }
}
/* C = op(A) op(B) (+ C when add) in dtype: float32 through the library GEMM,
 * float64 through sg_dgemm, int32 wrapping. */
SG__INTERNAL void sg__tgemm(sg__kctx *k, int dtype, int ta, int tb, int64_t M, int64_t N, int64_t K, const void *A,
                            int64_t lda, const void *B, int64_t ldb, int add, void *C, int64_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (dtype == SG_FLOAT32)
        sg__kgemm(k, ta, tb, M, N, K, 1.0f, (const float *)A, lda, (const float *)B, ldb, add ? 1.0f : 0.0f, (float *)C, ldc);
    else if (dtype == SG_FLOAT64)
        sg_dgemm(ta, tb, (int)M, (int)N, (int)K, 1.0, (const double *)A, (int)lda, (const double *)B, (int)ldb,
                 add ? 1.0 : 0.0, (double *)C, (int)ldc);
    else
        sg__igemm(ta, tb, M, N, K, (const int32_t *)A, lda, (const int32_t *)B, ldb, add, (int32_t *)C, ldc);
}
/* batch products C_b = op(A_b) op(B_b), C_b M x N, contracted size K. */
SG__INTERNAL void sg__dot_run(sg__kctx *k, int dtype, int ta, int tb, int64_t batch, int64_t M, int64_t N, int64_t K,
                              const void *A, const void *B, void *C) {
    size_t es = sg_dtype_size(dtype);
    int64_t b;
    for (b = 0; b < batch; b++)
        sg__tgemm(k, dtype, ta, tb, M, N, K, (const char *)A + (size_t)(b * M * K) * es, ta ? M : K,
                  (const char *)B + (size_t)(b * K * N) * es, tb ? K : N, 0, (char *)C + (size_t)(b * M * N) * es, N);
}
/* Gradients of C = op(A) op(B) for G = dC: dA = G op(B)^T (transposed back when
 * ta), dB = op(A)^T G (transposed back when tb). dA first: it may be dB (dot(a, a)). */
SG__INTERNAL void sg__dot_back(sg__kctx *k, int dtype, int ta, int tb, int64_t batch, int64_t M, int64_t N, int64_t K,
                               const void *A, const void *B, const void *G, void *dA, int addA, void *dB, int addB) {
    size_t es = sg_dtype_size(dtype);
    int64_t b, lda = ta ? M : K, ldb = tb ? K : N;
    for (b = 0; b < batch && dA; b++) {
        const char *Bb = (const char *)B + (size_t)(b * K * N) * es, *Gb = (const char *)G + (size_t)(b * M * N) * es;
        char *Db = (char *)dA + (size_t)(b * M * K) * es;
        if (!ta) sg__tgemm(k, dtype, 0, !tb, M, K, N, Gb, N, Bb, ldb, addA, Db, K);
        else sg__tgemm(k, dtype, tb, 1, K, M, N, Bb, ldb, Gb, N, addA, Db, M);
    }
    for (b = 0; b < batch && dB; b++) {
        const char *Ab = (const char *)A + (size_t)(b * M * K) * es, *Gb = (const char *)G + (size_t)(b * M * N) * es;
        char *Db = (char *)dB + (size_t)(b * K * N) * es;
        if (!tb) sg__tgemm(k, dtype, !ta, 0, K, N, M, Ab, lda, Gb, N, addB, Db, N);
        else sg__tgemm(k, dtype, 1, ta, N, K, M, Gb, N, Ab, lda, addB, Db, K);
    }
}
/* dot's 2-D view: lhs (M, K) (stored (K, M) when ta), rhs (K, N) (stored (N, K) when tb). */
SG__INTERNAL void sg__dot_dims(const sg__node *n, const sg_ndarray *l, const sg_ndarray *r, int64_t *M, int64_t *N,
                               int64_t *K) {
    int ta = (int)SG__PI(n, "transpose_a"), tb = (int)SG__PI(n, "transpose_b"), i;
    sg_shape ls = sg__kshape(l), rs = sg__kshape(r);
    *K = ta ? ls.dims[0] : ls.dims[ls.ndim - 1];
    *M = 1;
    *N = 1;
    for (i = ta ? 1 : 0; i < (ta ? ls.ndim : ls.ndim - 1); i++) *M *= ls.dims[i];
    for (i = tb ? 0 : 1; i < (tb ? rs.ndim - 1 : rs.ndim); i++) *N *= rs.dims[i];
}
SG__INTERNAL int sg__dot_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *arr[3];
    int64_t M, N, K;
    int st;
    arr[0] = in[0]; arr[1] = in[1]; arr[2] = out[0];
    if ((st = sg__need_fd(k, n, arr, 3, 1)) != SG_OK) return st;
    sg__dot_dims(n, in[0], in[1], &M, &N, &K);
    sg__dot_run(k, out[0]->dtype, (int)SG__PI(n, "transpose_a"), (int)SG__PI(n, "transpose_b"), 1, M, N, K,
                in[0]->data, in[1]->data, out[0]->data);
    return SG_OK;
}
SG__INTERNAL int sg__dot_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                             sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg_ndarray *arr[5];
    int64_t M, N, K;
    int st;
    (void)out;
    if (!og[0]) { sg__zero_ig(ig, req, 2); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = in[1]; arr[3] = ig[0]; arr[4] = ig[1];
    if ((st = sg__need_fd(k, n, arr, 5, 1)) != SG_OK) return st;
    sg__dot_dims(n, in[0], in[1], &M, &N, &K);
    sg__dot_back(k, og[0]->dtype, (int)SG__PI(n, "transpose_a"), (int)SG__PI(n, "transpose_b"), 1, M, N, K,
                 in[0]->data, in[1]->data, og[0]->data, ig[0] ? ig[0]->data : NULL, req[0] == SG_REQ_ADD,
                 ig[1] ? ig[1]->data : NULL, req[1] == SG_REQ_ADD);
    return SG_OK;
}
SG__INTERNAL int sg__batch_dot_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg_shape *l = &in[0], *r = &in[1];
    int ta = (int)SG__PI(n, "transpose_a"), tb = (int)SG__PI(n, "transpose_b"), i, nd;
    char a[256], b[256];
    sg_shape o;
    int64_t m, lk, nn, rk;
    if (l->ndim < 0 || r->ndim < 0) return SG_OK;
    sg_shape_str(l, a, sizeof a);
    sg_shape_str(r, b, sizeof b);
    if (l->ndim < 3 || r->ndim < 3 || l->ndim != r->ndim)
        return sg__fail(c, n, "batch_dot currently only support N-D*N-D array (N >= 3)%s v.s. %s", a, b);
    nd = l->ndim;
    m = ta ? l->dims[nd - 1] : l->dims[nd - 2];
    lk = ta ? l->dims[nd - 2] : l->dims[nd - 1];
    nn = tb ? r->dims[nd - 2] : r->dims[nd - 1];
    rk = tb ? r->dims[nd - 1] : r->dims[nd - 2];
    /* as MXNet 1.9.1 observably does: an unknown contracted size ends inference here */
    if (lk < 0 || rk < 0) return SG_OK;
    if (lk != rk) return sg__fail(c, n, "batch_dot shape error (shape mismatch): %s X %s", a, b);
    for (i = 0; i < nd - 2; i++)
        if (l->dims[i] != r->dims[i])
            return sg__fail(c, n, "batch_dot shape error (the leading batch dimensions must be equal): %s X %s", a, b);
    o = *l;
    o.dims[nd - 2] = m;
    o.dims[nd - 1] = nn;
    return sg__out_assign(c, n, out, 0, o);
}
/* batch_dot: the leading dims are the batch; the last two of each input are the matrix. */
SG__INTERNAL void sg__batch_dot_dims(const sg__node *n, const sg_ndarray *l, const sg_ndarray *r, int64_t *batch,
                                     int64_t *M, int64_t *N, int64_t *K) {
    int ta = (int)SG__PI(n, "transpose_a"), tb = (int)SG__PI(n, "transpose_b"), nd = l->shape.ndim, i;
    *batch = 1;
    for (i = 0; i < nd - 2; i++) *batch *= l->shape.dims[i];
    *M = ta ? l->shape.dims[nd - 1] : l->shape.dims[nd - 2];
    *K = ta ? l->shape.dims[nd - 2] : l->shape.dims[nd - 1];
    *N = tb ? r->shape.dims[nd - 2] : r->shape.dims[nd - 1];
}
SG__INTERNAL int sg__batch_dot_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *arr[3];
    int64_t B, M, N, K;
    int st;
    arr[0] = in[0]; arr[1] = in[1]; arr[2] = out[0];
    if ((st = sg__need_fd(k, n, arr, 3, 1)) != SG_OK) return st;
    if (in[0]->shape.ndim < 3 || in[1]->shape.ndim != in[0]->shape.ndim)
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (batch_dot): inputs must be N-D with N >= 3", n->name);
    sg__batch_dot_dims(n, in[0], in[1], &B, &M, &N, &K);
    sg__dot_run(k, out[0]->dtype, (int)SG__PI(n, "transpose_a"), (int)SG__PI(n, "transpose_b"), B, M, N, K,
                in[0]->data, in[1]->data, out[0]->data);
    return SG_OK;
}
SG__INTERNAL int sg__batch_dot_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                   sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg_ndarray *arr[5];
    int64_t B, M, N, K;
    int st;
    (void)out;
    if (!og[0]) { sg__zero_ig(ig, req, 2); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = in[1]; arr[3] = ig[0]; arr[4] = ig[1];
    if ((st = sg__need_fd(k, n, arr, 5, 1)) != SG_OK) return st;
    if (in[0]->shape.ndim < 3 || in[1]->shape.ndim != in[0]->shape.ndim)
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (batch_dot): inputs must be N-D with N >= 3", n->name);
    sg__batch_dot_dims(n, in[0], in[1], &B, &M, &N, &K);
    sg__dot_back(k, og[0]->dtype, (int)SG__PI(n, "transpose_a"), (int)SG__PI(n, "transpose_b"), B, M, N, K,
                 in[0]->data, in[1]->data, og[0]->data, ig[0] ? ig[0]->data : NULL, req[0] == SG_REQ_ADD,
                 ig[1] ? ig[1]->data : NULL, req[1] == SG_REQ_ADD);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * FullyConnected: y = x W^T + b. Inputs data, weight (num_hidden, in), bias.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_fc[] = {
    {"num_hidden", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"no_bias", SG__P_BOOL, "False", NULL, 0},
    {"flatten", SG__P_BOOL, "True", NULL, 0},
};
SG__INTERNAL int sg__fc_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    int64_t H = SG__PI(n, "num_hidden"), num_input;
    int flatten = (int)SG__PI(n, "flatten"), no_bias = (int)SG__PI(n, "no_bias"), st;
    sg_shape d = in[0], o = out[0];
    if (d.ndim < 0) return SG_OK;
    if (d.ndim == 0) return sg__fail(c, n, "data must have at least one dimension");
    if (!flatten) num_input = d.dims[d.ndim - 1];
    else {
        num_input = sg__known_prod(&d, 1, d.ndim);
        if (num_input < 0) {
            char a[256];
            return sg__fail(c, n, "Shape dim size must be known (data %s, flatten=True)", sg_shape_str(&d, a, sizeof a));
        }
    }
    if ((st = sg__in_assign(c, n, in, 1, sg__shp(2, H, num_input))) != SG_OK) return st;
    if (!no_bias) {
        sg_shape b1 = sg__shp(1, H), b2 = sg__shp(2, H, (int64_t)1), t = in[2];
        if (!sg__shape_merge(&t, &b1)) {
            t = in[2];
            if (!sg__shape_merge(&t, &b2)) return sg__shape_err(c, n, 1, 2, &in[2], &b1);
        }
        in[2] = t;
    }
    if (!flatten) {
        sg_shape r = d;
        r.dims[d.ndim - 1] = H;
        if ((st = sg__out_assign(c, n, out, 0, r)) != SG_OK) return st;
    } else if ((st = sg__out_assign(c, n, out, 0, sg__shp(2, d.dims[0], H))) != SG_OK) return st;
    if (o.ndim > 0) {
        d.dims[0] = o.dims[0];
        if ((st = sg__in_assign(c, n, in, 0, d)) != SG_OK) return st;
    }
    return SG_OK;
}

/* Rows of the data viewed as a matrix (flatten: N x prod(rest), else prod(all
 * but last) x last). */
SG__INTERNAL void sg__fc_dims(const sg__node *n, const sg_ndarray *x, int64_t *rows, int64_t *in) {
    if (SG__PI(n, "flatten")) { *rows = x->shape.ndim ? x->shape.dims[0] : 1; *in = *rows ? x->size / *rows : 0; }
    else { *in = x->shape.dims[x->shape.ndim - 1]; *rows = *in ? x->size / *in : 0; }
}
SG__INTERNAL int sg__fc_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t rows, nin, H = SG__PI(n, "num_hidden"), i, j;
    int bias = !SG__PI(n, "no_bias");
    sg__fc_dims(n, in[0], &rows, &nin);
    if (out[0]->dtype == SG_FLOAT64) {
        double *y = (double *)out[0]->data;
        sg_dgemm(0, 1, (int)rows, (int)H, (int)nin, 1.0, (const double *)in[0]->data, (int)nin, (const double *)in[1]->data, (int)nin, 0.0, y, (int)H);
        if (bias) for (i = 0; i < rows; i++) for (j = 0; j < H; j++) y[i * H + j] += ((const double *)in[2]->data)[j];
        return SG_OK;
    }
    {
        int st;
        float *y = SG__F(out[0]);
        if ((st = sg__need_f32(k, n, in, n->nin)) != SG_OK) return st;
        sg__kgemm(k, 0, 1, rows, H, nin, 1.0f, SG__F(in[0]), nin, SG__F(in[1]), nin, 0.0f, y, H);
        if (bias) for (i = 0; i < rows; i++) for (j = 0; j < H; j++) y[i * H + j] += SG__F(in[2])[j];
    }
    return SG_OK;
}
SG__INTERNAL int sg__fc_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                            sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t rows, nin, H = SG__PI(n, "num_hidden"), i, j;
    (void)out;
    sg__fc_dims(n, in[0], &rows, &nin);
    if (og[0]->dtype == SG_FLOAT64) {
        const double *g = (const double *)og[0]->data;
        if (ig[0]) sg_dgemm(0, 0, (int)rows, (int)nin, (int)H, 1.0, g, (int)H, (const double *)in[1]->data, (int)nin, req[0] == SG_REQ_ADD ? 1.0 : 0.0, (double *)ig[0]->data, (int)nin);
        if (ig[1]) sg_dgemm(1, 0, (int)H, (int)nin, (int)rows, 1.0, g, (int)H, (const double *)in[0]->data, (int)nin, req[1] == SG_REQ_ADD ? 1.0 : 0.0, (double *)ig[1]->data, (int)nin);
        if (n->nin > 2 && ig[2]) {
            double *db = (double *)ig[2]->data;
            if (req[2] != SG_REQ_ADD) for (j = 0; j < H; j++) db[j] = 0.0;
            for (i = 0; i < rows; i++) for (j = 0; j < H; j++) db[j] += g[i * H + j];
        }
        return SG_OK;
    }
    {
        const float *g = SG__F(og[0]);
        if (ig[0]) sg__kgemm(k, 0, 0, rows, nin, H, 1.0f, g, H, SG__F(in[1]), nin, req[0] == SG_REQ_ADD ? 1.0f : 0.0f, SG__F(ig[0]), nin);
        if (ig[1]) sg__kgemm(k, 1, 0, H, nin, rows, 1.0f, g, H, SG__F(in[0]), nin, req[1] == SG_REQ_ADD ? 1.0f : 0.0f, SG__F(ig[1]), nin);
        if (n->nin > 2 && ig[2]) {
            float *db = SG__F(ig[2]);
            if (req[2] != SG_REQ_ADD) for (j = 0; j < H; j++) db[j] = 0.0f;
            for (i = 0; i < rows; i++) for (j = 0; j < H; j++) db[j] += g[i * H + j];
        }
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Activation and the standalone relu / sigmoid / tanh; unary math.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_act[] = {
    {"act_type", SG__P_ENUM, NULL, "log_sigmoid|mish|relu|sigmoid|softrelu|softsign|tanh", 0},
};

/* ---- group-N kernel helpers, used by the neural-network operator blocks from
 * here on. One macro body per kernel is instantiated for float (suffix f) and
 * double (suffix d); these give each body its type's libm function. ---- */
SG__INTERNAL float sg__mexp_f(float x) { return expf(x); }
SG__INTERNAL double sg__mexp_d(double x) { return exp(x); }
SG__INTERNAL float sg__mlog1p_f(float x) { return log1pf(x); }
SG__INTERNAL double sg__mlog1p_d(double x) { return log1p(x); }
SG__INTERNAL float sg__mexpm1_f(float x) { return expm1f(x); }
SG__INTERNAL double sg__mexpm1_d(double x) { return expm1(x); }
SG__INTERNAL float sg__mtanh_f(float x) { return tanhf(x); }
SG__INTERNAL double sg__mtanh_d(double x) { return tanh(x); }
SG__INTERNAL float sg__merf_f(float x) { return erff(x); }
SG__INTERNAL double sg__merf_d(double x) { return erf(x); }
SG__INTERNAL double sg__load(const void *p, int dtype, int64_t i); /* section 6 */
SG__INTERNAL float sg__rng_uniformf(sg_rng *r);                     /* section 6 */
/* dx[i] = g[i] * (e) or dx[i] += g[i] * (e), over i < cnt (i declared by the caller);
 * e goes through a local of type T first, which keeps gcc -O2 from turning a
 * select such as (y[i] > 0 ? 1 : slope) into a branch. */
#define SG__EWB(T, add, dx, g, cnt, e)                                                      \
    do {                                                                                   \
        if (add) { for (i = 0; i < (cnt); i++) { T m_ = (e); (dx)[i] += (g)[i] * m_; } }   \
        else { for (i = 0; i < (cnt); i++) { T m_ = (e); (dx)[i] = (g)[i] * m_; } }        \
    } while (0)
/* out = c ? a : b for a float type T and its unsigned twin U, without a branch
 * (gcc -O2 branches on value selects, which random signs mispredict). */
#define SG__SELECT(T, U, c, a, b, out)                                  \
    do {                                                               \
        T a_ = (a), b_ = (b);                                          \
        U ua_, ub_, m_ = (U)0 - (U)((c) ? 1 : 0);                      \
        memcpy(&ua_, &a_, sizeof ua_);                                 \
        memcpy(&ub_, &b_, sizeof ub_);                                 \
        ua_ = (ua_ & m_) | (ub_ & ~m_);                                \
        memcpy(&(out), &ua_, sizeof ua_);                              \
    } while (0)
/* Group-N kernels run in float32 and float64; anything else is reported. */
SG__INTERNAL int sg__nn_dtype(sg__kctx *k, const sg__node *n, const sg_ndarray *a) {
    const char *nm;
    if (a->dtype == SG_FLOAT32 || a->dtype == SG_FLOAT64) return SG_OK;
    nm = sg_dtype_name(a->dtype);
    return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): dtype %s is not supported (float32 and float64 only)",
                      n->name, n->op->name, nm ? nm : "?");
}
/* Every array in a[0..cnt) (NULLs skipped) is float32 or float64, all of a[0]'s dtype. */
SG__INTERNAL int sg__nn_same(sg__kctx *k, const sg__node *n, sg_ndarray *const *a, int cnt) {
    int i, st;
    for (i = 0; i < cnt; i++) {
        if (!a[i]) continue;
        if ((st = sg__nn_dtype(k, n, a[i])) != SG_OK) return st;
        if (a[i]->dtype != a[0]->dtype)
            return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): mixed dtypes %s and %s are not supported",
                              n->name, n->op->name, sg_dtype_name(a[0]->dtype), sg_dtype_name(a[i]->dtype));
    }
    return SG_OK;
}

/* A backward with no head gradient (an empty output): gradients written as zeros. */
SG__INTERNAL int sg__nn_no_og(const sg__node *n, sg_ndarray *const *ig, const int *req) {
    int i;
    for (i = 0; i < n->nin; i++)
        if (ig[i] && req[i] != SG_REQ_ADD && ig[i]->nbytes) memset(ig[i]->data, 0, ig[i]->nbytes);
    return SG_OK;
}

/* Activation: y from x, dx from y (relu, sigmoid, tanh, softrelu, log_sigmoid)
 * or from x (softsign, mish), as MXNet's mshadow_op gradients. */
enum { SG__ACT_LOGSIG, SG__ACT_MISH, SG__ACT_RELU, SG__ACT_SIGMOID, SG__ACT_SOFTRELU, SG__ACT_SOFTSIGN, SG__ACT_TANH };
#define SG__ACT_KERNELS(T, S, U)                                                                                         \
    SG__INTERNAL T sg__softrelu_##S(T x) { return x > (T)20 ? x : sg__mlog1p_##S(sg__mexp_##S(x)); }                 \
    SG__INTERNAL T sg__sigmoid_##S(T x) { return (T)1 / ((T)1 + sg__mexp_##S(-x)); }                                   \
    SG__INTERNAL void sg__act_fwd_##S(int t, const T *x, T *y, int64_t n) {                                            \
        int64_t i;                                                                                                     \
        switch (t) {                                                                                                   \
        case SG__ACT_RELU: for (i = 0; i < n; i++) SG__SELECT(T, U, x[i] > (T)0, x[i], (T)0, y[i]); break;           \
        case SG__ACT_SIGMOID: for (i = 0; i < n; i++) y[i] = sg__sigmoid_##S(x[i]); break;                             \
        case SG__ACT_TANH: for (i = 0; i < n; i++) y[i] = sg__mtanh_##S(x[i]); break;                                  \
        case SG__ACT_SOFTRELU: for (i = 0; i < n; i++) y[i] = sg__softrelu_##S(x[i]); break;                           \
        case SG__ACT_SOFTSIGN: for (i = 0; i < n; i++) y[i] = x[i] / ((T)1 + (x[i] < 0 ? -x[i] : x[i])); break;        \
        case SG__ACT_LOGSIG:                                                                                           \
            for (i = 0; i < n; i++)                                                                                    \
                y[i] = x[i] >= 0 ? -sg__mlog1p_##S(sg__mexp_##S(-x[i])) : x[i] - sg__mlog1p_##S(sg__mexp_##S(x[i])); \
            break;                                                                                                     \
        default: for (i = 0; i < n; i++) y[i] = x[i] * sg__mtanh_##S(sg__softrelu_##S(x[i])); break;                  \
        }                                                                                                              \
    }                                                                                                                  \
    SG__INTERNAL void sg__act_bwd_##S(int t, const T *g, const T *x, const T *y, T *dx, int64_t n, int add) {          \
        int64_t i;                                                                                                     \
        switch (t) {                                                                                                   \
        case SG__ACT_RELU: SG__EWB(T, add, dx, g, n, (y[i] > (T)0 ? (T)1 : (T)0)); break;                                \
        case SG__ACT_SIGMOID: SG__EWB(T, add, dx, g, n, y[i] * ((T)1 - y[i])); break;                                     \
        case SG__ACT_TANH: SG__EWB(T, add, dx, g, n, ((T)1 - y[i] * y[i])); break;                                        \
        case SG__ACT_SOFTRELU: SG__EWB(T, add, dx, g, n, (-sg__mexpm1_##S(-y[i]))); break;                                \
        case SG__ACT_SOFTSIGN:                                                                                         \
            SG__EWB(T, add, dx, g, n, (T)1 / (((T)1 + (x[i] < 0 ? -x[i] : x[i])) * ((T)1 + (x[i] < 0 ? -x[i] : x[i])))); \
            break;                                                                                                     \
        case SG__ACT_LOGSIG: SG__EWB(T, add, dx, g, n, (-sg__mexpm1_##S(y[i]))); break;                                   \
        default:                                                                                                       \
            for (i = 0; i < n; i++) {                                                                                  \
                T th = sg__mtanh_##S(sg__softrelu_##S(x[i]));                                                          \
                T d = th + x[i] * sg__sigmoid_##S(x[i]) * ((T)1 - th * th);                                            \
                if (add) dx[i] += g[i] * d; else dx[i] = g[i] * d;                                                     \
            }                                                                                                          \
            break;                                                                                                     \
        }                                                                                                              \
    }
SG__ACT_KERNELS(float, f, uint32_t)
SG__ACT_KERNELS(double, d, uint64_t)
#undef SG__ACT_KERNELS
/* One call's arrays, for sg__par_range over the elements; g set: backward. */
typedef struct sg__actpar {
    const void *g, *x, *y;
    void *out;
    int t, add, dbl;
} sg__actpar;
SG__INTERNAL void sg__act_range(void *ctx, int64_t a, int64_t b) {
    const sg__actpar *q = (const sg__actpar *)ctx;
    if (q->dbl && q->g)
        sg__act_bwd_d(q->t, (const double *)q->g + a, (const double *)q->x + a, (const double *)q->y + a,
                      (double *)q->out + a, b - a, q->add);
    else if (q->dbl) sg__act_fwd_d(q->t, (const double *)q->x + a, (double *)q->out + a, b - a);
    else if (q->g)
        sg__act_bwd_f(q->t, (const float *)q->g + a, (const float *)q->x + a, (const float *)q->y + a,
                      (float *)q->out + a, b - a, q->add);
    else sg__act_fwd_f(q->t, (const float *)q->x + a, (float *)q->out + a, b - a);
}
SG__INTERNAL int sg__act_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg__actpar q;
    int st;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    memset(&q, 0, sizeof q);
    q.t = (int)SG__PI(n, "act_type");
    q.dbl = in[0]->dtype == SG_FLOAT64;
    q.x = in[0]->data;
    q.out = out[0]->data;
    sg__par_range(out[0]->size, 2.0 * (double)out[0]->size, sg__act_range, &q);
    return SG_OK;
}
SG__INTERNAL int sg__act_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                             sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg__actpar q;
    int st;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sg__nn_no_og(n, ig, req);
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    q.t = (int)SG__PI(n, "act_type");
    q.dbl = in[0]->dtype == SG_FLOAT64;
    q.g = og[0]->data;
    q.x = in[0]->data;
    q.y = out[0]->data;
    q.out = ig[0]->data;
    q.add = req[0] == SG_REQ_ADD;
    sg__par_range(ig[0]->size, 3.0 * (double)ig[0]->size, sg__act_range, &q);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * LeakyReLU: leaky | prelu (input gamma, shape (C,)) | rrelu (2 outputs) | elu
 * | selu | gelu.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_leaky[] = {
    {"act_type", SG__P_ENUM, "leaky", "elu|gelu|leaky|prelu|rrelu|selu", 0},
    {"slope", SG__P_FLOAT, "0.25", NULL, 0},
    {"lower_bound", SG__P_FLOAT, "0.125", NULL, 0},
    {"upper_bound", SG__P_FLOAT, "0.334", NULL, 0},
};
enum { SG__LEAKY_ELU, SG__LEAKY_GELU, SG__LEAKY_LEAKY, SG__LEAKY_PRELU, SG__LEAKY_RRELU, SG__LEAKY_SELU };
SG__INTERNAL int sg__leaky_inputs(const sg__node *n, const char **names, char *scratch) {
    (void)scratch;
    names[0] = "data";
    if (SG__PI(n, "act_type") == SG__LEAKY_PRELU) { names[1] = "gamma"; return 2; }
    return 1;
}
SG__INTERNAL int sg__leaky_nout(const sg__node *n) { return SG__PI(n, "act_type") == SG__LEAKY_RRELU ? 2 : 1; }
SG__INTERNAL int sg__leaky_compose(sg__node *n, int index, sg__node *var) {
    if (index == 1 && SG__PI(n, "act_type") == SG__LEAKY_PRELU && !sg__attrs_get(&var->attrs, "__init__"))
        return sg__attrs_set(&var->attrs, "__init__", "[\"Constant\", {\"value\": 0.25}]");
    return 1;
}
SG__INTERNAL int sg__leaky_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape d = in[0];
    if (d.ndim < 0) return SG_OK;
    if (SG__PI(n, "act_type") == SG__LEAKY_PRELU) {
        if (in[1].ndim < 0) {
            if (d.ndim < 2) return sg__fail(c, n, "prelu needs data with a channel axis (dim 1)");
            in[1] = sg__shp(1, d.dims[1]);
        }
    }
    out[0] = d;
    if (c->nout > 1) out[1] = d;
    return SG_OK;
}

/* Kernels. leaky, elu, selu and rrelu take the gradient from the output (as
 * MXNet's CPU kernels: xelu_grad(y), elu_grad(y), selu_grad(y)), gelu and prelu
 * from the input. MXNet 1.9.1's selu gradient for x <= 0 is lambda*(y + alpha),
 * which is not the derivative (lambda*alpha*e^x); we return MXNet's value. prelu broadcasts gamma as MXNet's expand_shape: gamma's dims
 * align, from the right, with data dims 0 and 1. */
#define SG__SELU_L 1.0507009873554804934193349852946
#define SG__SELU_A 1.6732632423543772848170429916717
#define SG__LEAKY_KERNELS(T, S, U)                                                                                       \
    SG__INTERNAL void sg__leaky_fwd_##S(int t, T slope, const T *x, T *y, int64_t n) {                                 \
        int64_t i;                                                                                                     \
        switch (t) {                                                                                                   \
        case SG__LEAKY_LEAKY: for (i = 0; i < n; i++) SG__SELECT(T, U, x[i] > (T)0, x[i], slope * x[i], y[i]); break; \
        case SG__LEAKY_ELU: for (i = 0; i < n; i++) y[i] = x[i] > (T)0 ? x[i] : slope * sg__mexpm1_##S(x[i]); break;   \
        case SG__LEAKY_SELU:                                                                                           \
            for (i = 0; i < n; i++)                                                                                    \
                y[i] = (T)SG__SELU_L * (x[i] > (T)0 ? x[i] : (T)SG__SELU_A * sg__mexpm1_##S(x[i]));                    \
            break;                                                                                                     \
        default:                                                                                                       \
            for (i = 0; i < n; i++) y[i] = (T)0.5 * x[i] * ((T)1 + sg__merf_##S(x[i] * (T)0.70710678118654752440));     \
            break;                                                                                                     \
        }                                                                                                              \
    }                                                                                                                  \
    SG__INTERNAL void sg__leaky_bwd_##S(int t, T slope, const T *g, const T *x, const T *y, T *dx, int64_t n, int add) { \
        int64_t i;                                                                                                     \
        switch (t) {                                                                                                   \
        case SG__LEAKY_LEAKY: SG__EWB(T, add, dx, g, n, (y[i] > (T)0 ? (T)1 : slope)); break;                            \
        case SG__LEAKY_ELU: SG__EWB(T, add, dx, g, n, (y[i] > (T)0 ? (T)1 : y[i] + slope)); break;                       \
        case SG__LEAKY_SELU: /* MXNet's selu_grad(y) = lambda * (y + alpha), not y + lambda * alpha */               \
            SG__EWB(T, add, dx, g, n, (y[i] > (T)0 ? (T)SG__SELU_L : (T)SG__SELU_L * (y[i] + (T)SG__SELU_A)));           \
            break;                                                                                                     \
        default:                                                                                                       \
            SG__EWB(T, add, dx, g, n,                                                                                     \
                    ((T)0.5 * ((T)1 + sg__merf_##S(x[i] * (T)0.70710678118654752440)) +                              \
                     x[i] * sg__mexp_##S((T)-0.5 * x[i] * x[i]) * (T)0.39894228040143267794));                         \
            break;                                                                                                     \
        }                                                                                                              \
    }                                                                                                                  \
    SG__INTERNAL void sg__prelu_fwd_##S(const T *x, const T *gm, T *y, int64_t n0, int64_t n1, int64_t inner, int g0,  \
                                        int64_t g1) {                                                                  \
        int64_t a, b, i;                                                                                               \
        for (a = 0; a < n0; a++)                                                                                       \
            for (b = 0; b < n1; b++) {                                                                                 \
                T s = gm[(g0 ? a * g1 : 0) + (g1 > 1 ? b : 0)];                                                        \
                const T *xp = x + (a * n1 + b) * inner;                                                                \
                T *yp = y + (a * n1 + b) * inner;                                                                      \
                for (i = 0; i < inner; i++) SG__SELECT(T, U, xp[i] > (T)0, xp[i], s * xp[i], yp[i]);                    \
            }                                                                                                          \
    }                                                                                                                  \
    SG__INTERNAL void sg__prelu_bwd_##S(const T *g, const T *x, const T *gm, T *dx, int add, T *dgm, int64_t n0,       \
                                        int64_t n1, int64_t inner, int g0, int64_t g1) {                               \
        int64_t a, b, i;                                                                                               \
        for (a = 0; a < n0; a++)                                                                                       \
            for (b = 0; b < n1; b++) {                                                                                 \
                int64_t gi = (g0 ? a * g1 : 0) + (g1 > 1 ? b : 0), o = (a * n1 + b) * inner;                           \
                T s = gm[gi], acc = 0;                                                                                 \
                if (dx) {                                                                                              \
                    if (add) for (i = 0; i < inner; i++) { T m = x[o + i] > (T)0 ? (T)1 : s; dx[o + i] += g[o + i] * m; } \
                    else for (i = 0; i < inner; i++) { T m = x[o + i] > (T)0 ? (T)1 : s; dx[o + i] = g[o + i] * m; }     \
                }                                                                                                      \
                if (dgm) {                                                                                             \
                    for (i = 0; i < inner; i++) acc += x[o + i] > (T)0 ? (T)0 : g[o + i] * x[o + i];                   \
                    dgm[gi] += acc;                                                                                    \
                }                                                                                                      \
            }                                                                                                          \
    }                                                                                                                  \
    SG__INTERNAL void sg__rrelu_fwd_##S(const T *x, T *y, T *mask, int64_t n, int train, double lo, double hi,         \
                                        sg_rng *r) {                                                                   \
        int64_t i;                                                                                                     \
        T mean = (T)(float)((lo + hi) / 2.0);                                                                          \
        for (i = 0; i < n; i++) {                                                                                      \
            T m = train ? (T)(lo + (hi - lo) * sg_rng_uniform(r)) : mean;                                              \
            mask[i] = m;                                                                                               \
            SG__SELECT(T, U, x[i] > (T)0, x[i], m * x[i], y[i]);                                                       \
        }                                                                                                              \
    }                                                                                                                  \
    SG__INTERNAL void sg__rrelu_bwd_##S(const T *g, const T *y, const T *mask, T *dx, int64_t n, int add) {            \
        int64_t i;                                                                                                     \
        SG__EWB(T, add, dx, g, n, (y[i] > (T)0 ? (T)1 : mask[i]));                                                        \
    }
SG__LEAKY_KERNELS(float, f, uint32_t)
SG__LEAKY_KERNELS(double, d, uint64_t)
#undef SG__LEAKY_KERNELS
/* prelu's gamma layout from MXNet's expand_shape(gamma, data); 0 if it does not broadcast. */
SG__INTERNAL int sg__prelu_geo(const sg_shape *d, const sg_shape *gm, int64_t *n0, int64_t *n1, int64_t *inner, int *g0,
                               int64_t *g1) {
    int64_t res[SG_MAX_NDIM];
    int s = gm->ndim - 1, i;
    for (i = d->ndim - 1; i >= 0; i--) {
        if (s >= 0 && i <= 1 && (d->dims[i] == gm->dims[s] || gm->dims[s] == 1)) res[i] = gm->dims[s--];
        else res[i] = 1;
    }
    if (s != -1 || d->ndim < 1) return 0;
    *n0 = d->dims[0];
    *n1 = d->ndim > 1 ? d->dims[1] : 1;
    *inner = d->ndim > 2 ? sg__known_prod(d, 2, d->ndim) : 1;
    *g0 = res[0] != 1;
    *g1 = d->ndim > 1 ? res[1] : 1;
    return 1;
}
SG__INTERNAL int sg__leaky_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int t = (int)SG__PI(n, "act_type"), st, dbl = in[0]->dtype == SG_FLOAT64, g0;
    double slope = SG__PF(n, "slope");
    int64_t sz = in[0]->size, n0, n1, inner, g1;
    if ((st = sg__nn_same(k, n, in, n->nin)) != SG_OK) return st;
    if (t == SG__LEAKY_PRELU) {
        char a[256], b[256];
        if (!sg__prelu_geo(&in[0]->shape, &in[1]->shape, &n0, &n1, &inner, &g0, &g1))
            return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (LeakyReLU): Cannot broadcast gamma to data. gamma: %s, data: %s",
                              n->name, sg_shape_str(&in[1]->shape, a, sizeof a), sg_shape_str(&in[0]->shape, b, sizeof b));
        if (dbl) sg__prelu_fwd_d((const double *)in[0]->data, (const double *)in[1]->data, (double *)out[0]->data, n0, n1, inner, g0, g1);
        else sg__prelu_fwd_f(SG__F(in[0]), SG__F(in[1]), SG__F(out[0]), n0, n1, inner, g0, g1);
    } else if (t == SG__LEAKY_RRELU) {
        double lo = SG__PF(n, "lower_bound"), hi = SG__PF(n, "upper_bound");
        if (dbl) sg__rrelu_fwd_d((const double *)in[0]->data, (double *)out[0]->data, (double *)out[1]->data, sz, k->is_train, lo, hi, k->rng);
        else sg__rrelu_fwd_f(SG__F(in[0]), SG__F(out[0]), SG__F(out[1]), sz, k->is_train, lo, hi, k->rng);
    } else if (dbl) {
        sg__leaky_fwd_d(t, slope, (const double *)in[0]->data, (double *)out[0]->data, sz);
    } else {
        sg__leaky_fwd_f(t, (float)slope, SG__F(in[0]), SG__F(out[0]), sz);
    }
    return SG_OK;
}
SG__INTERNAL int sg__leaky_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                               sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int t = (int)SG__PI(n, "act_type"), st, dbl = in[0]->dtype == SG_FLOAT64, add = req[0] == SG_REQ_ADD, g0;
    double slope = SG__PF(n, "slope");
    int64_t sz = in[0]->size, n0, n1, inner, g1;
    if (!og[0]) return sg__nn_no_og(n, ig, req);
    if ((st = sg__nn_same(k, n, in, n->nin)) != SG_OK) return st;
    if (t == SG__LEAKY_PRELU) {
        sg_ndarray *dg = n->nin > 1 ? ig[1] : NULL;
        if (!ig[0] && !dg) return SG_OK;
        if (!sg__prelu_geo(&in[0]->shape, &in[1]->shape, &n0, &n1, &inner, &g0, &g1))
            return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (LeakyReLU): Cannot broadcast gamma to data", n->name);
        if (dg && req[1] != SG_REQ_ADD && dg->nbytes) memset(dg->data, 0, dg->nbytes);
        if (dbl)
            sg__prelu_bwd_d((const double *)og[0]->data, (const double *)in[0]->data, (const double *)in[1]->data,
                            ig[0] ? (double *)ig[0]->data : NULL, add, dg ? (double *)dg->data : NULL, n0, n1, inner, g0, g1);
        else
            sg__prelu_bwd_f(SG__F(og[0]), SG__F(in[0]), SG__F(in[1]), ig[0] ? SG__F(ig[0]) : NULL, add,
                            dg ? SG__F(dg) : NULL, n0, n1, inner, g0, g1);
        return SG_OK;
    }
    if (!ig[0]) return SG_OK;
    if (t == SG__LEAKY_RRELU) {
        if (dbl) sg__rrelu_bwd_d((const double *)og[0]->data, (const double *)out[0]->data, (const double *)out[1]->data, (double *)ig[0]->data, sz, add);
        else sg__rrelu_bwd_f(SG__F(og[0]), SG__F(out[0]), SG__F(out[1]), SG__F(ig[0]), sz, add);
    } else if (dbl) {
        sg__leaky_bwd_d(t, slope, (const double *)og[0]->data, (const double *)in[0]->data, (const double *)out[0]->data, (double *)ig[0]->data, sz, add);
    } else {
        sg__leaky_bwd_f(t, (float)slope, SG__F(og[0]), SG__F(in[0]), SG__F(out[0]), SG__F(ig[0]), sz, add);
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * SoftmaxOutput (alias Softmax): softmax forward, cross-entropy gradient.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_softmaxout[] = {
    {"grad_scale", SG__P_FLOAT, "1", NULL, 0},
    {"ignore_label", SG__P_FLOAT, "-1", NULL, 0},
    {"multi_output", SG__P_BOOL, "False", NULL, 0},
    {"use_ignore", SG__P_BOOL, "False", NULL, 0},
    {"preserve_shape", SG__P_BOOL, "False", NULL, 0},
    {"normalization", SG__P_ENUM, "null", "batch|null|valid", 0},
    {"out_grad", SG__P_BOOL, "False", NULL, 0},
    {"smooth_alpha", SG__P_FLOAT, "0", NULL, 0},
};
SG__INTERNAL int sg__softmaxout_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape d = in[0];
    int i;
    char a[256], b[256], e[256];
    if (d.ndim < 0) return SG_OK;
    if (!sg__shape_eq(&d, &in[1])) {
        if (SG__PI(n, "multi_output")) {
            sg_shape l1, l2, l3;
            int64_t sz = sg__known_prod(&d, 0, d.ndim);
            if (d.ndim < 2) return sg__fail(c, n, "multi_output needs data of at least 2 dims");
            l1 = sg__shp(2, d.dims[0], (sz >= 0 && d.dims[0] > 0 && d.dims[1] > 0) ? sz / d.dims[0] / d.dims[1] : (int64_t)-1);
            l2 = sg__shape_unknown();
            l2.ndim = d.ndim - 1;
            l2.dims[0] = d.dims[0];
            for (i = 2; i < d.ndim; i++) l2.dims[i - 1] = d.dims[i];
            l3 = d;
            l3.dims[1] = 1;
            if (in[1].ndim < 0) in[1] = l1;
            else if (!sg__shape_eq(&in[1], &l1) && !sg__shape_eq(&in[1], &l2) && !sg__shape_eq(&in[1], &l3))
                return sg__fail(c, n, "input 1 (label): Expecting %s or %s. But got %s", sg_shape_str(&l1, a, sizeof a),
                                sg_shape_str(&l2, b, sizeof b), sg_shape_str(&in[1], e, sizeof e));
        } else {
            sg_shape l = sg__shape_unknown();
            int st;
            l.ndim = d.ndim - 1;
            for (i = 0; i + 1 < d.ndim; i++) l.dims[i] = d.dims[i];
            if ((st = sg__in_assign(c, n, in, 1, l)) != SG_OK) return st;
        }
    }
    out[0] = d;
    return SG_OK;
}
/* SoftmaxOutputProp::InferType, also ConvolutionType and DeconvolutionType: the
 * data's dtype, else the output's (backward), given to every input; a weight's
 * dtype alone decides nothing. */
SG__INTERNAL int sg__softmaxout_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    int d = in[0], i, st;
    if (d < 0) {
        if (out[0] < 0) return SG_OK;
        d = out[0];
    }
    for (i = 0; i < c->nin; i++)
        if ((st = sg__type_assign(c, n, &in[i], i, d)) != SG_OK) return st;
    out[0] = d;
    return SG_OK;
}

/* Kernels. The data is viewed as rows x C x inner: multi_output (N, C, size/N/C)
 * with the softmax over C, preserve_shape (size/last, last), else (N, size/N).
 * Backward ignores the head gradient (out_grad=True multiplies by the output,
 * which is what MXNet's CPU path passes in its place); the label gets none. */
SG__INTERNAL void sg__smo_dims(const sg__node *n, const sg_shape *d, int64_t *rows, int64_t *C, int64_t *inner) {
    int64_t size = sg__known_prod(d, 0, d->ndim), r = d->ndim > 0 ? d->dims[0] : 1;
    *inner = 1;
    if (SG__PI(n, "multi_output")) {
        *rows = r;
        *C = d->ndim > 1 ? d->dims[1] : 1;
        *inner = (r > 0 && *C > 0) ? size / r / *C : 0;
    } else if (SG__PI(n, "preserve_shape")) {
        *C = d->ndim > 0 ? d->dims[d->ndim - 1] : 1;
        *rows = *C > 0 ? size / *C : 0;
    } else {
        *rows = r;
        *C = r > 0 ? size / r : 0;
    }
}
/* A gradient scale grad_scale / inner / valid, in float as MXNet 1.9.1 computes
 * it (float grad_scale over integer counts; float64 networks see the float
 * quotient): SoftmaxOutput, the regression outputs and MakeLoss batch. */
SG__INTERNAL double sg__grad_scale_f(double gs, int64_t inner, int64_t valid) {
    float f = (float)gs;
    f = f / (float)inner;
    f = f / (float)valid;
    return (double)f;
}
/* static_cast<int> of a label, with values outside int's range mapped to INT_MIN */
SG__INTERNAL int sg__ilabel(double v) { return (v > -2147483649.0 && v < 2147483648.0) ? (int)v : INT_MIN; }
#define SG__SMO_KERNELS(T, S)                                                                                         \
    SG__INTERNAL void sg__smax_rows_##S(const T *x, T *y, int64_t rows, int64_t C, int64_t inner) {                    \
        int64_t r, j, c;                                                                                               \
        for (r = 0; r < rows; r++)                                                                                     \
            for (j = 0; j < inner; j++) {                                                                              \
                const T *xp = x + r * C * inner + j;                                                                   \
                T *yp = y + r * C * inner + j, mx = xp[0], sum = 0;                                                    \
                for (c = 1; c < C; c++) if (mx < xp[c * inner]) mx = xp[c * inner];                                   \
                for (c = 0; c < C; c++) { yp[c * inner] = sg__mexp_##S(xp[c * inner] - mx); sum += yp[c * inner]; }   \
                for (c = 0; c < C; c++) yp[c * inner] /= sum;                                                          \
            }                                                                                                          \
    }                                                                                                                  \
    SG__INTERNAL void sg__smo_bwd_##S(const sg__node *n, const T *y, const T *lab, T *dx, int add, int64_t rows,        \
                                      int64_t C, int64_t inner, int prob, int64_t size) {                              \
        double gs = SG__PF(n, "grad_scale"), alpha = SG__PF(n, "smooth_alpha"), scale;                                 \
        int use_ig = (int)SG__PI(n, "use_ignore"), multi = (int)SG__PI(n, "multi_output");                            \
        int norm = (int)SG__PI(n, "normalization"), ograd = (int)SG__PI(n, "out_grad");                               \
        int il = sg__ilabel(SG__PF(n, "ignore_label"));                                                                \
        int64_t r, j, c, i, valid;                                                                                     \
        if (prob) {                                                                                                    \
            for (i = 0; i < size; i++) {                                                                               \
                T v = (y[i] - lab[i]) * (T)gs;                                                                         \
                if (ograd) v *= y[i];                                                                                  \
                SG__PUT(add ? SG_REQ_ADD : SG_REQ_WRITE, dx[i], v);                                                    \
            }                                                                                                          \
            return;                                                                                                    \
        }                                                                                                              \
        valid = 1;                                                                                                     \
        if (norm == 0) valid = rows; /* batch */                                                                       \
        else if (norm == 2) {        /* valid */                                                                       \
            valid = 0;                                                                                                 \
            for (i = 0; i < rows * inner; i++) if (sg__ilabel((double)lab[i]) != il) valid++;                          \
            if (valid == 0) valid = 1;                                                                                 \
        }                                                                                                              \
        scale = sg__grad_scale_f(gs, multi && norm != 2 ? inner : 1, valid);                                           \
        for (r = 0; r < rows; r++)                                                                                     \
            for (j = 0; j < inner; j++) {                                                                              \
                int kl = sg__ilabel((double)lab[r * inner + j]), ignore = use_ig && kl == il;                          \
                const T *yp = y + r * C * inner + j;                                                                   \
                T *dp = dx + r * C * inner + j;                                                                        \
                for (c = 0; c < C; c++) {                                                                              \
                    T v;                                                                                               \
                    if (ignore) v = 0;                                                                                 \
                    else if (!multi && alpha != 0)                                                                     \
                        v = c == kl ? yp[c * inner] - (T)1 + (T)alpha : yp[c * inner] - (T)(float)(alpha / (double)(C - 1)); \
                    else v = c == kl ? yp[c * inner] - (T)1 : yp[c * inner];                                           \
                    v *= (T)scale;                                                                                     \
                    if (ograd) v *= yp[c * inner];                                                                     \
                    SG__PUT(add ? SG_REQ_ADD : SG_REQ_WRITE, dp[c * inner], v);                                        \
                }                                                                                                      \
            }                                                                                                          \
    }
SG__SMO_KERNELS(float, f)
SG__SMO_KERNELS(double, d)
#undef SG__SMO_KERNELS
SG__INTERNAL int sg__softmaxout_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t rows, C, inner;
    int st;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    sg__smo_dims(n, &in[0]->shape, &rows, &C, &inner);
    if (in[0]->dtype == SG_FLOAT64) sg__smax_rows_d((const double *)in[0]->data, (double *)out[0]->data, rows, C, inner);
    else sg__smax_rows_f(SG__F(in[0]), SG__F(out[0]), rows, C, inner);
    return SG_OK;
}
SG__INTERNAL int sg__softmaxout_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                    sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t rows, C, inner;
    int st, prob, add = req[0] == SG_REQ_ADD;
    (void)og;
    if (!ig[0]) return SG_OK;
    if ((st = sg__nn_same(k, n, in, 2)) != SG_OK) return st;
    sg__smo_dims(n, &in[0]->shape, &rows, &C, &inner);
    prob = sg__shape_eq(&in[1]->shape, &out[0]->shape);
    if (!prob && in[1]->size < rows * inner)
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (SoftmaxOutput): the label has %lld elements, %lld needed", n->name,
                          (long long)in[1]->size, (long long)(rows * inner));
    if (in[0]->dtype == SG_FLOAT64)
        sg__smo_bwd_d(n, (const double *)out[0]->data, (const double *)in[1]->data, (double *)ig[0]->data, add, rows, C,
                      inner, prob, out[0]->size);
    else
        sg__smo_bwd_f(n, SG__F(out[0]), SG__F(in[1]), SG__F(ig[0]), add, rows, C, inner, prob, out[0]->size);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * softmax / log_softmax along an axis.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_softmax[] = {
    {"axis", SG__P_INT, "-1", NULL, 0},
    {"temperature", SG__P_FLOAT, "None", NULL, SG__PF_OPT | SG__PF_F64},
    {"dtype", SG__P_ENUM, "None", "float16|float32|float64", SG__PF_OPT},
    {"use_length", SG__P_BOOL, "False", NULL, SG__PF_OPT},
};
SG__INTERNAL int sg__softmax_inputs(const sg__node *n, const char **names, char *scratch) {
    const sg__pval *ul = sg__param(n, "use_length");
    (void)scratch;
    names[0] = "data";
    if (!ul->none && ul->i) { names[1] = "length"; return 2; }
    return 1;
}
SG__INTERNAL int sg__softmax_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape d;
    int st;
    if (c->nin == 2 && in[0].ndim >= 0) {
        sg_shape t = sg__shape_unknown();
        int i, j = 0, axis = (int)SG__PI(n, "axis");
        d = in[0];
        if (axis == -1) axis = d.ndim - 1;
        t.ndim = d.ndim == 1 ? 1 : d.ndim - 1;
        t.dims[0] = 1;
        /* as MXNet: only -1 is taken from the end; any other axis that is not
         * one of the data's dims leaves one dim too many for length */
        for (i = 0; i < d.ndim; i++) {
            if (i == axis) continue;
            if (j >= t.ndim)
                return sg__seterr(c->g, SG_ERR_SHAPE,
                                  "Error in operator %s (%s): axis %d is not an axis of the %d-D data, as use_length "
                                  "requires (0 .. %d or -1)", n->name, n->op->name, (int)SG__PI(n, "axis"), d.ndim,
                                  d.ndim - 1);
            t.dims[j++] = d.dims[i];
        }
        if ((st = sg__in_assign(c, n, in, 1, t)) != SG_OK) return st;
    }
    d = sg__shape_unknown();
    if (!sg__shape_merge(&d, &in[0]) || !sg__shape_merge(&d, &out[0])) return sg__shape_err(c, n, 0, 0, &out[0], &in[0]);
    /* softmax's SoftmaxOpShape runs ElemwiseShape on a copy of the data's
     * shape: the output never fills the data (log_softmax's ElemwiseShape does) */
    if (strcmp(n->op->name, "softmax")) in[0] = d;
    out[0] = d;
    return SG_OK;
}
SG__INTERNAL int sg__softmax_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    const sg__pval *dt = sg__param(n, "dtype");
    int st;
    if (!dt->none) {
        static const int codes[3] = {SG_FLOAT16, SG_FLOAT32, SG_FLOAT64};
        if ((st = sg__type_assign(c, n, &out[0], c->nin, codes[dt->i])) != SG_OK) return st;
        if (in[0] < 0) in[0] = out[0];
        return SG_OK;
    }
    /* without dtype, ElemwiseType on a copy of the data's dtype: forward only */
    if (in[0] >= 0 && (st = sg__type_assign(c, n, &out[0], c->nin, in[0])) != SG_OK) return st;
    return SG_OK;
}

/* Kernels: y = softmax(x/T) or log_softmax(x/T) along the axis, the data viewed
 * as outer x A x inner; dtype may make the output's type differ from the input's.
 * With use_length (softmax), positions at or past length[...] get 0, as MXNet. */
SG__INTERNAL int sg__softmax_dims(sg__kctx *k, const sg__node *n, const sg_shape *d, int64_t *outer, int64_t *A,
                                  int64_t *inner) {
    int ax = sg__axis(SG__PI(n, "axis"), d->ndim);
    if (ax < 0)
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (%s): axis %lld is out of range for %d-D data", n->name,
                          n->op->name, SG__PI(n, "axis"), d->ndim);
    *outer = sg__known_prod(d, 0, ax);
    *A = d->dims[ax];
    *inner = sg__known_prod(d, ax + 1, d->ndim);
    return SG_OK;
}
/* The valid length of row (o, j): A, or length[o*inner + j] clipped to [0, A]. */
SG__INTERNAL int64_t sg__softmax_len(const sg_ndarray *len, int64_t idx, int64_t A) {
    double v;
    if (!len) return A;
    v = sg__load(len->data, len->dtype, idx);
    return !(v > 0) ? 0 : v >= (double)A ? A : (int64_t)v;
}
/* Rows (o, j) are done SG__SMB at a time along j, so that a softmax over a
 * non-last axis reads memory in order. */
#define SG__SMB 32
#define SG__SOFTMAX_KERNELS(TI, TO, S)                                                                                \
    SG__INTERNAL void sg__softmax_fwd_##S(const TI *x, TO *y, int64_t outer, int64_t A, int64_t inner, double t,       \
                                          int logm, const sg_ndarray *len) {                                           \
        int64_t o, jb, jj, c, nb, L[SG__SMB], Lmax;                                                                    \
        double mx[SG__SMB], sum[SG__SMB];                                                                              \
        for (o = 0; o < outer; o++)                                                                                    \
            for (jb = 0; jb < inner; jb += SG__SMB) {                                                                  \
                const TI *xp = x + o * A * inner + jb;                                                                 \
                TO *yp = y + o * A * inner + jb;                                                                       \
                nb = inner - jb < SG__SMB ? inner - jb : SG__SMB;                                                      \
                for (jj = 0, Lmax = 0; jj < nb; jj++) {                                                                \
                    L[jj] = sg__softmax_len(len, o * inner + jb + jj, A);                                              \
                    if (L[jj] > Lmax) Lmax = L[jj];                                                                    \
                    mx[jj] = L[jj] > 0 ? (double)xp[jj] : 0;                                                           \
                    sum[jj] = 0;                                                                                       \
                }                                                                                                      \
                for (c = 1; c < Lmax; c++)                                                                             \
                    for (jj = 0; jj < nb; jj++)                                                                        \
                        if (c < L[jj] && mx[jj] < (double)xp[c * inner + jj]) mx[jj] = (double)xp[c * inner + jj];     \
                for (c = 0; c < Lmax; c++) /* softmax keeps e^a in y until the sum is known */                        \
                    for (jj = 0; jj < nb; jj++)                                                                        \
                        if (c < L[jj]) {                                                                               \
                            double e = exp(((double)xp[c * inner + jj] - mx[jj]) / t);                                 \
                            sum[jj] += e;                                                                              \
                            if (!logm) yp[c * inner + jj] = (TO)e;                                                     \
                        }                                                                                              \
                if (logm) for (jj = 0; jj < nb; jj++) sum[jj] = log(sum[jj]);                                          \
                for (c = 0; c < A; c++)                                                                                \
                    for (jj = 0; jj < nb; jj++) {                                                                      \
                        TO *q = yp + c * inner + jj;                                                                   \
                        if (c >= L[jj]) *q = (TO)0;                                                                    \
                        else if (logm) *q = (TO)(((double)xp[c * inner + jj] - mx[jj]) / t - sum[jj]);                 \
                        else *q = (TO)((double)*q / sum[jj]);                                                          \
                    }                                                                                                  \
            }                                                                                                          \
    }                                                                                                                  \
    SG__INTERNAL void sg__softmax_bwd_##S(const TO *g, const TO *y, TI *dx, int add, int64_t outer, int64_t A,         \
                                          int64_t inner, double t, int logm, const sg_ndarray *len) {                  \
        int64_t o, jb, jj, c, nb, L[SG__SMB];                                                                          \
        double sum[SG__SMB];                                                                                           \
        for (o = 0; o < outer; o++)                                                                                    \
            for (jb = 0; jb < inner; jb += SG__SMB) {                                                                  \
                int64_t b = o * A * inner + jb;                                                                        \
                nb = inner - jb < SG__SMB ? inner - jb : SG__SMB;                                                      \
                for (jj = 0; jj < nb; jj++) { L[jj] = sg__softmax_len(len, o * inner + jb + jj, A); sum[jj] = 0; }     \
                for (c = 0; c < A; c++)                                                                                \
                    for (jj = 0; jj < nb; jj++)                                                                        \
                        if (c < L[jj])                                                                                 \
                            sum[jj] += logm ? (double)g[b + c * inner + jj]                                            \
                                            : (double)g[b + c * inner + jj] * (double)y[b + c * inner + jj];           \
                for (c = 0; c < A; c++)                                                                                \
                    for (jj = 0; jj < nb; jj++) {                                                                      \
                        int64_t q = b + c * inner + jj;                                                                \
                        double gv = g[q], yv = y[q];                                                                   \
                        TI v = (TI)(c >= L[jj] ? 0.0 : logm ? (gv - exp(yv) * sum[jj]) / t : yv * (gv - sum[jj]) / t); \
                        if (add) dx[q] += v; else dx[q] = v;                                                           \
                    }                                                                                                  \
            }                                                                                                          \
    }
SG__SOFTMAX_KERNELS(float, float, ff)
SG__SOFTMAX_KERNELS(double, double, dd)
SG__SOFTMAX_KERNELS(float, double, fd)
SG__SOFTMAX_KERNELS(double, float, df)
#undef SG__SOFTMAX_KERNELS
SG__INTERNAL int sg__softmax_prep(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, const sg_ndarray *o,
                                  int64_t *outer, int64_t *A, int64_t *inner, double *t, int *logm, const sg_ndarray **len) {
    const sg__pval *tp = sg__param(n, "temperature");
    int st;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK || (st = sg__nn_dtype(k, n, o)) != SG_OK) return st;
    *logm = !strcmp(n->op->name, "log_softmax");
    *len = n->nin > 1 ? in[1] : NULL;
    if (*len && *logm)
        return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (log_softmax): use_length is not supported (MXNet 1.9's log_softmax has no length input)", n->name);
    *t = tp->none ? 1.0 : tp->f;
    return sg__softmax_dims(k, n, &in[0]->shape, outer, A, inner);
}
SG__INTERNAL int sg__softmax_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, A, inner;
    double t;
    int logm, st, di = in[0]->dtype == SG_FLOAT64, dout = out[0]->dtype == SG_FLOAT64;
    const sg_ndarray *len;
    if ((st = sg__softmax_prep(k, n, in, out[0], &outer, &A, &inner, &t, &logm, &len)) != SG_OK) return st;
    if (di && dout) sg__softmax_fwd_dd((const double *)in[0]->data, (double *)out[0]->data, outer, A, inner, t, logm, len);
    else if (di) sg__softmax_fwd_df((const double *)in[0]->data, SG__F(out[0]), outer, A, inner, t, logm, len);
    else if (dout) sg__softmax_fwd_fd(SG__F(in[0]), (double *)out[0]->data, outer, A, inner, t, logm, len);
    else sg__softmax_fwd_ff(SG__F(in[0]), SG__F(out[0]), outer, A, inner, t, logm, len);
    return SG_OK;
}
SG__INTERNAL int sg__softmax_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                 sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t outer, A, inner;
    double t;
    int logm, st, di = in[0]->dtype == SG_FLOAT64, dout = out[0]->dtype == SG_FLOAT64, add = req[0] == SG_REQ_ADD;
    const sg_ndarray *len;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sg__nn_no_og(n, ig, req);
    if ((st = sg__softmax_prep(k, n, in, out[0], &outer, &A, &inner, &t, &logm, &len)) != SG_OK) return st;
    if (di && dout) sg__softmax_bwd_dd((const double *)og[0]->data, (const double *)out[0]->data, (double *)ig[0]->data, add, outer, A, inner, t, logm, len);
    else if (di) sg__softmax_bwd_df(SG__F(og[0]), SG__F(out[0]), (double *)ig[0]->data, add, outer, A, inner, t, logm, len);
    else if (dout) sg__softmax_bwd_fd((const double *)og[0]->data, (const double *)out[0]->data, SG__F(ig[0]), add, outer, A, inner, t, logm, len);
    else sg__softmax_bwd_ff(SG__F(og[0]), SG__F(out[0]), SG__F(ig[0]), add, outer, A, inner, t, logm, len);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * LinearRegressionOutput / LogisticRegressionOutput / MAERegressionOutput
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_regression[] = {
    {"grad_scale", SG__P_FLOAT, "1", NULL, SG__PF_F64},
};
SG__INTERNAL int sg__regression_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape d = in[0];
    char a[256], b[256];
    if (!sg__shape_known(&d)) return SG_OK;
    if (in[1].ndim < 0) {
        if (d.ndim == 2 && d.dims[1] == 1) in[1] = sg__shp(1, d.dims[0]);
        else in[1] = d;
    } else {
        int64_t ls = sg__known_prod(&in[1], 0, in[1].ndim), ds = sg__known_prod(&d, 0, d.ndim);
        if (in[1].ndim == 0 || in[1].dims[0] != d.dims[0] || ls != ds)
            return sg__fail(c, n, "input 1 (label): Shape inconsistent, Provided = %s, inferred shape = %s",
                            sg_shape_str(&in[1], a, sizeof a), sg_shape_str(&d, b, sizeof b));
    }
    out[0] = d;
    return SG_OK;
}

/* Kernels. Backward ignores the head gradient: dx = f(y, label) * grad_scale /
 * num_output, num_output = label.size / label.shape[0], f = y - label (Linear,
 * Logistic) or sign(y - label) with y == label giving -1 (MAE). */
enum { SG__REG_LINEAR, SG__REG_LOGISTIC, SG__REG_MAE };
SG__INTERNAL int sg__reg_kind(const sg__node *n) {
    if (!strcmp(n->op->name, "LogisticRegressionOutput")) return SG__REG_LOGISTIC;
    return !strcmp(n->op->name, "MAERegressionOutput") ? SG__REG_MAE : SG__REG_LINEAR;
}
#define SG__REG_KERNELS(T, S)                                                                                         \
    SG__INTERNAL void sg__reg_fwd_##S(int kind, const T *x, T *y, int64_t n) {                                         \
        int64_t i;                                                                                                     \
        if (kind == SG__REG_LOGISTIC) for (i = 0; i < n; i++) y[i] = (T)1 / ((T)1 + sg__mexp_##S(-x[i]));              \
        else if (x != y) memcpy(y, x, (size_t)n * sizeof(T));                                                          \
    }                                                                                                                  \
    SG__INTERNAL void sg__reg_bwd_##S(int kind, const T *y, const T *l, T *dx, int64_t n, T s, int add) {              \
        int64_t i;                                                                                                     \
        for (i = 0; i < n; i++) {                                                                                      \
            T v = kind == SG__REG_MAE ? (y[i] - l[i] > (T)0 ? s : -s) : (y[i] - l[i]) * s;                             \
            if (add) dx[i] += v; else dx[i] = v;                                                                       \
        }                                                                                                              \
    }
SG__REG_KERNELS(float, f)
SG__REG_KERNELS(double, d)
#undef SG__REG_KERNELS
SG__INTERNAL int sg__regression_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int st;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    if (in[0]->dtype == SG_FLOAT64) sg__reg_fwd_d(sg__reg_kind(n), (const double *)in[0]->data, (double *)out[0]->data, out[0]->size);
    else sg__reg_fwd_f(sg__reg_kind(n), SG__F(in[0]), SG__F(out[0]), out[0]->size);
    return SG_OK;
}
SG__INTERNAL int sg__regression_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                    sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int st;
    int64_t d0 = in[1]->shape.ndim > 0 ? in[1]->shape.dims[0] : 1;
    double s;
    (void)og;
    if (!ig[0]) return SG_OK;
    if ((st = sg__nn_same(k, n, in, 2)) != SG_OK) return st;
    if (in[1]->size != out[0]->size)
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (%s): the label has %lld elements, the data %lld", n->name,
                          n->op->name, (long long)in[1]->size, (long long)out[0]->size);
    if (d0 <= 0) return SG_OK;
    s = sg__grad_scale_f(SG__PF(n, "grad_scale"), 1, in[1]->size / d0); /* grad_scale / num_output */
    if (in[0]->dtype == SG_FLOAT64)
        sg__reg_bwd_d(sg__reg_kind(n), (const double *)out[0]->data, (const double *)in[1]->data, (double *)ig[0]->data,
                      out[0]->size, s, req[0] == SG_REQ_ADD);
    else
        sg__reg_bwd_f(sg__reg_kind(n), SG__F(out[0]), SG__F(in[1]), SG__F(ig[0]), out[0]->size, (float)s, req[0] == SG_REQ_ADD);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Convolution / Deconvolution (1-D, 2-D, 3-D; NC* or channel-last layouts)
 * ------------------------------------------------------------------------- */
#define SG__LAYOUTS "NCDHW|NCHW|NCW|NDHWC|NHWC|NWC"
static const sg__pdef sg__p_conv[] = {
    {"kernel", SG__P_TUPLE, NULL, NULL, 0},
    {"stride", SG__P_TUPLE, "()", NULL, 0},
    {"dilate", SG__P_TUPLE, "()", NULL, 0},
    {"pad", SG__P_TUPLE, "()", NULL, 0},
    {"num_filter", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"num_group", SG__P_INT, "1", NULL, SG__PF_GE1},
    {"workspace", SG__P_INT, "1024", NULL, SG__PF_GE0},
    {"no_bias", SG__P_BOOL, "False", NULL, 0},
    {"cudnn_tune", SG__P_ENUM, "None", "fastest|limited_workspace|off", SG__PF_OPT},
    {"cudnn_off", SG__P_BOOL, "False", NULL, 0},
    {"layout", SG__P_ENUM, "None", SG__LAYOUTS, SG__PF_OPT},
};
static const sg__pdef sg__p_deconv[] = {
    {"kernel", SG__P_TUPLE, NULL, NULL, 0},
    {"stride", SG__P_TUPLE, "()", NULL, 0},
    {"dilate", SG__P_TUPLE, "()", NULL, 0},
    {"pad", SG__P_TUPLE, "()", NULL, 0},
    {"adj", SG__P_TUPLE, "()", NULL, 0},
    {"target_shape", SG__P_TUPLE, "()", NULL, 0},
    {"num_filter", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"num_group", SG__P_INT, "1", NULL, SG__PF_GE1},
    {"workspace", SG__P_INT, "512", NULL, SG__PF_GE0},
    {"no_bias", SG__P_BOOL, "True", NULL, 0},
    {"cudnn_tune", SG__P_ENUM, "None", "fastest|limited_workspace|off", SG__PF_OPT},
    {"cudnn_off", SG__P_BOOL, "False", NULL, 0},
    {"layout", SG__P_ENUM, "None", SG__LAYOUTS, SG__PF_OPT},
};
/* Spatial geometry shared by Convolution, Deconvolution and Pooling. */
typedef struct sg__geom {
    int nsp;                 /* spatial dims */
    int64_t k[3], s[3], d[3], p[3], a[3];
    int chlast;              /* layout is N...C */
} sg__geom;
/* Read kernel/stride/dilate/pad (and adj) with MXNet's defaults. */
SG__INTERNAL int sg__geom_read(sg__infer *c, const sg__node *n, sg__geom *gm, int has_dilate, int has_adj) {
    const sg__pval *k = sg__param(n, "kernel"), *s = sg__param(n, "stride"), *p = sg__param(n, "pad");
    const sg__pval *d = has_dilate ? sg__param(n, "dilate") : NULL, *a = has_adj ? sg__param(n, "adj") : NULL;
    const sg__pval *lay = sg__param(n, "layout");
    int i;
    memset(gm, 0, sizeof *gm);
    gm->nsp = k->ndim;
    if (k->ndim < 1 || k->ndim > 3) return sg__fail(c, n, "kernel must have 1 to 3 dims, got %s", k->s);
    if ((s->ndim && s->ndim != k->ndim) || (p->ndim && p->ndim != k->ndim) || (d && d->ndim && d->ndim != k->ndim) ||
        (a && a->ndim && a->ndim != k->ndim))
        return sg__fail(c, n, "stride, dilate, pad and adj must have as many dims as kernel %s", k->s);
    for (i = 0; i < gm->nsp; i++) {
        gm->k[i] = k->t[i];
        gm->s[i] = s->ndim ? s->t[i] : 1;
        gm->p[i] = p->ndim ? p->t[i] : 0;
        gm->d[i] = (d && d->ndim) ? d->t[i] : 1;
        gm->a[i] = (a && a->ndim) ? a->t[i] : 0;
        if (gm->k[i] <= 0) return sg__fail(c, n, "incorrect kernel size: %s", k->s);
        if (gm->s[i] <= 0) return sg__fail(c, n, "incorrect stride size: %s", s->s);
        if (gm->d[i] <= 0) return sg__fail(c, n, "incorrect dilate size: %s", d ? d->s : "()");
        if (gm->p[i] < 0) return sg__fail(c, n, "incorrect pad: %s", p->s);
    }
    gm->chlast = !lay->none && lay->s[strlen(lay->s) - 1] == 'C';
    if (!lay->none && (int)strlen(lay->s) != gm->nsp + 2)
        return sg__fail(c, n, "layout %s does not match a %d-D kernel", lay->s, gm->nsp);
    return SG_OK;
}
/* Convert between a layout and NC*: to_nc=1 moves the last dim to position 1. */
SG__INTERNAL sg_shape sg__to_nc(sg_shape s, int chlast, int to_nc) {
    sg_shape r = s;
    int i, nd = s.ndim;
    if (!chlast || nd < 3) return s;
    if (to_nc) {
        r.dims[0] = s.dims[0];
        r.dims[1] = s.dims[nd - 1];
        for (i = 2; i < nd; i++) r.dims[i] = s.dims[i - 1];
    } else {
        r.dims[0] = s.dims[0];
        r.dims[nd - 1] = s.dims[1];
        for (i = 1; i < nd - 1; i++) r.dims[i] = s.dims[i + 1];
    }
    return r;
}
SG__INTERNAL int sg__conv_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg__geom gm;
    int64_t F = SG__PI(n, "num_filter"), G = SG__PI(n, "num_group");
    int no_bias = (int)SG__PI(n, "no_bias"), st, i;
    sg_shape d, w, o;
    char a[256];
    if (in[0].ndim < 0) return SG_OK;
    if ((st = sg__geom_read(c, n, &gm, 1, 0)) != SG_OK) return st;
    if (in[0].ndim != gm.nsp + 2)
        return sg__fail(c, n, "Input data should be %dD in batch-num_filter-%s, got %s", gm.nsp + 2,
                        gm.nsp == 1 ? "x" : gm.nsp == 2 ? "y-x" : "d-y-x", sg_shape_str(&in[0], a, sizeof a));
    d = sg__to_nc(in[0], gm.chlast, 1);
    w = sg__shape_unknown();
    w.ndim = gm.nsp + 2;
    w.dims[0] = F;
    w.dims[1] = d.dims[1] >= 0 ? d.dims[1] / G : -1;
    for (i = 0; i < gm.nsp; i++) w.dims[2 + i] = gm.k[i];
    if ((st = sg__in_assign(c, n, in, 1, sg__to_nc(w, gm.chlast, 0))) != SG_OK) return st;
    if (!no_bias && (st = sg__in_assign(c, n, in, 2, sg__shp(1, F))) != SG_OK) return st;
    if (d.dims[1] >= 0 && d.dims[1] % G) return sg__fail(c, n, "input num_filter must divide group size (%lld %% %lld)", (long long)d.dims[1], (long long)G);
    if (F % G) return sg__fail(c, n, "output num_filter must divide group size (%lld %% %lld)", (long long)F, (long long)G);
    o = d;
    o.dims[1] = F;
    for (i = 0; i < gm.nsp; i++) {
        int64_t x = d.dims[2 + i], dk = gm.d[i] * (gm.k[i] - 1) + 1;
        o.dims[2 + i] = x >= 0 ? (x + 2 * gm.p[i] - dk) / gm.s[i] + 1 : -1;
        if (x >= 0 && dk > x + 2 * gm.p[i])
            return sg__fail(c, n, "kernel size exceed input (dilated kernel %lld, padded input %lld)", (long long)dk,
                            (long long)(x + 2 * gm.p[i]));
    }
    if ((st = sg__out_assign(c, n, out, 0, sg__to_nc(o, gm.chlast, 0))) != SG_OK) return st;
    o = sg__to_nc(out[0], gm.chlast, 1);
    d.dims[0] = o.dims[0];
    for (i = 0; i < gm.nsp; i++) {
        int64_t dk = gm.d[i] * (gm.k[i] - 1) + 1;
        if (o.dims[2 + i] >= 0 && gm.s[i] == 1) d.dims[2 + i] = o.dims[2 + i] + dk - 1 - 2 * gm.p[i];
    }
    return sg__in_assign(c, n, in, 0, sg__to_nc(d, gm.chlast, 0));
}
SG__INTERNAL int sg__deconv_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg__geom gm;
    int64_t F = SG__PI(n, "num_filter"), G = SG__PI(n, "num_group"), opad[3], oadj[3];
    const sg__pval *ts = sg__param(n, "target_shape");
    int no_bias = (int)SG__PI(n, "no_bias"), st, i, bcal = 0;
    sg_shape d, w, o;
    char a[256];
    if (in[0].ndim < 0) return SG_OK;
    if ((st = sg__geom_read(c, n, &gm, 1, 1)) != SG_OK) return st;
    if (in[0].ndim != gm.nsp + 2)
        return sg__fail(c, n, "Input data should be %dD, got %s", gm.nsp + 2, sg_shape_str(&in[0], a, sizeof a));
    if (gm.nsp == 3 && (gm.d[0] != 1 || gm.d[1] != 1 || gm.d[2] != 1))
        return sg__fail(c, n, "Dilate is not supported in 3d deconvolution");
    d = sg__to_nc(in[0], gm.chlast, 1);
    w = sg__shape_unknown();
    w.ndim = gm.nsp + 2;
    w.dims[0] = d.dims[1];
    w.dims[1] = F / G;
    for (i = 0; i < gm.nsp; i++) w.dims[2 + i] = gm.k[i];
    if ((st = sg__in_assign(c, n, in, 1, sg__to_nc(w, gm.chlast, 0))) != SG_OK) return st;
    if (!no_bias && (st = sg__in_assign(c, n, in, 2, sg__shp(1, F))) != SG_OK) return st;
    if (d.dims[1] >= 0 && d.dims[1] % G) return sg__fail(c, n, "input num_filter must divide group size");
    if (F % G) return sg__fail(c, n, "output num_filter must divide group size");
    for (i = 0; i < ts->ndim; i++) if (ts->t[i] != 0) bcal = 1;
    for (i = 0; i < gm.nsp; i++) {
        int64_t dk = gm.d[i] * (gm.k[i] - 1) + 1, x = d.dims[2 + i];
        opad[i] = gm.p[i];
        oadj[i] = gm.a[i];
        if (bcal && x >= 0) {
            int64_t t = i < ts->ndim ? ts->t[i] : 0;
            opad[i] = gm.s[i] * (x - 1) + dk;
            if (opad[i] < t) return sg__fail(c, n, "too big target shape %s", ts->s);
            opad[i] -= t;
            oadj[i] = opad[i] % 2;
            opad[i] = (opad[i] + 1) / 2;
        }
        if (!bcal && oadj[i] >= gm.s[i] && oadj[i] > 0) return sg__fail(c, n, "adj(%lld) must be smaller than stride", (long long)oadj[i]);
    }
    o = d;
    o.dims[1] = F;
    for (i = 0; i < gm.nsp; i++) {
        int64_t dk = gm.d[i] * (gm.k[i] - 1) + 1, x = d.dims[2 + i];
        o.dims[2 + i] = x >= 0 ? gm.s[i] * (x - 1) + dk - 2 * opad[i] + oadj[i] : -1;
        if (bcal && i < ts->ndim && ts->t[i] > 0 && x >= 0 && ts->t[i] != o.dims[2 + i])
            return sg__fail(c, n, "target_shape %s was not reasonable", ts->s);
    }
    if ((st = sg__out_assign(c, n, out, 0, sg__to_nc(o, gm.chlast, 0))) != SG_OK) return st;
    o = sg__to_nc(out[0], gm.chlast, 1);
    d.dims[0] = o.dims[0];
    for (i = 0; i < gm.nsp; i++) {
        int64_t dk = gm.d[i] * (gm.k[i] - 1) + 1;
        if (o.dims[2 + i] >= 0 && gm.s[i] == 1 && !bcal) d.dims[2 + i] = o.dims[2 + i] - dk + 1 + 2 * opad[i] - oadj[i];
    }
    return sg__in_assign(c, n, in, 0, sg__to_nc(d, gm.chlast, 0));
}

/* Kernels (NC* layouts; channel-last layouts are reported unsupported).
 * Geometry padded to 3 spatial dims with leading 1s. For Convolution the
 * "image" side is the data and the "column" side the output; Deconvolution is
 * the transpose of Convolution's data gradient, so there the image is its output
 * and the column side its input, with the pad that sg__deconv_shape derives.
 * Per image and group: im2col into the workspace, then one GEMM (sg__kgemm for
 * float32, sg_dgemm for float64); 1x1 kernels with stride 1 and no pad use the
 * data directly. */
typedef struct sg__cvg {
    int64_t im[3], co[3], k[3], s[3], p[3], d[3];
    int64_t imL, coL, K; /* products of im, co, k */
    int direct;          /* the column matrix is the image itself */
} sg__cvg;
SG__INTERNAL void sg__cvg_make(const sg__node *n, const sg_shape *im, const sg_shape *co, int deconv, sg__cvg *v) {
    const sg__pval *kp = sg__param(n, "kernel"), *sp = sg__param(n, "stride"), *pp = sg__param(n, "pad");
    const sg__pval *dp = sg__param(n, "dilate");
    int nsp = kp->ndim, off = 3 - nsp, i, bcal = 0;
    const sg__pval *ts = deconv ? sg__param(n, "target_shape") : NULL;
    for (i = 0; i < 3; i++) { v->im[i] = v->co[i] = v->k[i] = v->s[i] = v->d[i] = 1; v->p[i] = 0; }
    for (i = 0; ts && i < ts->ndim; i++) if (ts->t[i] != 0) bcal = 1;
    for (i = 0; i < nsp; i++) {
        int j = off + i;
        v->k[j] = kp->t[i];
        v->s[j] = sp->ndim ? sp->t[i] : 1;
        v->d[j] = dp->ndim ? dp->t[i] : 1;
        v->p[j] = pp->ndim ? pp->t[i] : 0;
        v->im[j] = im->dims[2 + i];
        v->co[j] = co->dims[2 + i];
        if (bcal) { /* pad from target_shape, as sg__deconv_shape */
            int64_t dk = v->d[j] * (v->k[j] - 1) + 1, t = i < ts->ndim ? ts->t[i] : 0;
            v->p[j] = (v->s[j] * (v->co[j] - 1) + dk - t + 1) / 2;
        }
    }
    v->imL = v->im[0] * v->im[1] * v->im[2];
    v->coL = v->co[0] * v->co[1] * v->co[2];
    v->K = v->k[0] * v->k[1] * v->k[2];
    v->direct = v->K == 1;
    for (i = 0; i < 3; i++) if (v->s[i] != 1 || v->p[i] != 0 || v->im[i] != v->co[i]) v->direct = 0;
}
SG__INTERNAL int sg__conv_layout(sg__kctx *k, const sg__node *n) {
    const sg__pval *lay = sg__param(n, "layout");
    if (lay->none || lay->s[strlen(lay->s) - 1] != 'C') return SG_OK;
    return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): unsupported layout %s (the CPU kernels take NCW, NCHW and NCDHW)",
                      n->name, n->op->name, lay->s);
}
/* Column positions o in [*lo, *hi) whose image index o*s + off lies in [0, len). */
SG__INTERNAL void sg__cv_range(int64_t cnt, int64_t s, int64_t off, int64_t len, int64_t *lo, int64_t *hi) {
    int64_t a = off >= 0 ? 0 : (-off + s - 1) / s, b = len - 1 - off >= 0 ? (len - 1 - off) / s + 1 : 0;
    if (b > cnt) b = cnt;
    if (a > b) a = b;
    *lo = a;
    *hi = b;
}
SG__INTERNAL void sg__gemm_f(sg__kctx *k, int ta, int tb, int64_t M, int64_t N, int64_t K, const float *A, int64_t lda,
                             const float *B, int64_t ldb, int beta, float *C, int64_t ldc) {
    sg__kgemm(k, ta, tb, M, N, K, 1.0f, A, lda, B, ldb, beta ? 1.0f : 0.0f, C, ldc);
}
SG__INTERNAL void sg__gemm_d(sg__kctx *k, int ta, int tb, int64_t M, int64_t N, int64_t K, const double *A, int64_t lda,
                             const double *B, int64_t ldb, int beta, double *C, int64_t ldc) {
    (void)k;
    sg_dgemm(ta, tb, (int)M, (int)N, (int)K, 1.0, A, (int)lda, B, (int)ldb, beta ? 1.0 : 0.0, C, (int)ldc);
}
/* im2col (col = rows (c, k0, k1, k2) x coL) and col2im (im += col), ch channels. */
#define SG__CONV_KERNELS(T, S)                                                                                        \
    SG__INTERNAL void sg__im2col_##S(const sg__cvg *v, const T *im, int64_t ch, T *col) {                              \
        int64_t c, k0, k1, k2, o0, o1, o2, lo, hi;                                                                     \
        for (c = 0; c < ch; c++)                                                                                       \
            for (k0 = 0; k0 < v->k[0]; k0++)                                                                           \
                for (k1 = 0; k1 < v->k[1]; k1++)                                                                       \
                    for (k2 = 0; k2 < v->k[2]; k2++, col += v->coL) {                                                  \
                        int64_t off2 = k2 * v->d[2] - v->p[2];                                                         \
                        sg__cv_range(v->co[2], v->s[2], off2, v->im[2], &lo, &hi);                                     \
                        for (o0 = 0; o0 < v->co[0]; o0++) {                                                            \
                            int64_t i0 = o0 * v->s[0] - v->p[0] + k0 * v->d[0];                                        \
                            for (o1 = 0; o1 < v->co[1]; o1++) {                                                        \
                                int64_t i1 = o1 * v->s[1] - v->p[1] + k1 * v->d[1], b;                                 \
                                T *row = col + (o0 * v->co[1] + o1) * v->co[2];                                        \
                                if (i0 < 0 || i0 >= v->im[0] || i1 < 0 || i1 >= v->im[1]) {                           \
                                    for (o2 = 0; o2 < v->co[2]; o2++) row[o2] = (T)0;                                  \
                                    continue;                                                                          \
                                }                                                                                      \
                                b = ((c * v->im[0] + i0) * v->im[1] + i1) * v->im[2] + off2;                           \
                                for (o2 = 0; o2 < lo; o2++) row[o2] = (T)0;                                            \
                                if (v->s[2] == 1) for (o2 = lo; o2 < hi; o2++) row[o2] = im[b + o2];                   \
                                else for (o2 = lo; o2 < hi; o2++) row[o2] = im[b + o2 * v->s[2]];                      \
                                for (o2 = hi; o2 < v->co[2]; o2++) row[o2] = (T)0;                                     \
                            }                                                                                          \
                        }                                                                                              \
                    }                                                                                                  \
    }                                                                                                                  \
    SG__INTERNAL void sg__col2im_##S(const sg__cvg *v, const T *col, int64_t ch, T *im) {                              \
        int64_t c, k0, k1, k2, o0, o1, o2, lo, hi;                                                                     \
        for (c = 0; c < ch; c++)                                                                                       \
            for (k0 = 0; k0 < v->k[0]; k0++)                                                                           \
                for (k1 = 0; k1 < v->k[1]; k1++)                                                                       \
                    for (k2 = 0; k2 < v->k[2]; k2++, col += v->coL) {                                                  \
                        int64_t off2 = k2 * v->d[2] - v->p[2];                                                         \
                        sg__cv_range(v->co[2], v->s[2], off2, v->im[2], &lo, &hi);                                     \
                        for (o0 = 0; o0 < v->co[0]; o0++) {                                                            \
                            int64_t i0 = o0 * v->s[0] - v->p[0] + k0 * v->d[0];                                        \
                            if (i0 < 0 || i0 >= v->im[0]) continue;                                                    \
                            for (o1 = 0; o1 < v->co[1]; o1++) {                                                        \
                                int64_t i1 = o1 * v->s[1] - v->p[1] + k1 * v->d[1], b;                                 \
                                const T *row = col + (o0 * v->co[1] + o1) * v->co[2];                                  \
                                if (i1 < 0 || i1 >= v->im[1]) continue;                                                \
                                b = ((c * v->im[0] + i0) * v->im[1] + i1) * v->im[2] + off2;                           \
                                for (o2 = lo; o2 < hi; o2++) im[b + o2 * v->s[2]] += row[o2];                          \
                            }                                                                                          \
                        }                                                                                              \
                    }                                                                                                  \
    }                                                                                                                  \
    /* y[n, f, :] += b[f] over N images of F channels of L elements */                                                 \
    SG__INTERNAL void sg__bias_add_##S(T *y, const T *b, int64_t N, int64_t F, int64_t L) {                            \
        int64_t n, f, i;                                                                                               \
        for (n = 0; n < N; n++)                                                                                        \
            for (f = 0; f < F; f++) {                                                                                  \
                T *p = y + (n * F + f) * L, bv = b[f];                                                                 \
                for (i = 0; i < L; i++) p[i] += bv;                                                                    \
            }                                                                                                          \
    }                                                                                                                  \
    SG__INTERNAL void sg__bias_grad_##S(const T *g, T *db, int add, int64_t N, int64_t F, int64_t L) {                 \
        int64_t n, f, i;                                                                                               \
        for (f = 0; f < F; f++) {                                                                                      \
            T acc = 0;                                                                                                 \
            for (n = 0; n < N; n++) {                                                                                  \
                const T *p = g + (n * F + f) * L;                                                                      \
                for (i = 0; i < L; i++) acc += p[i];                                                                   \
            }                                                                                                          \
            if (add) db[f] += acc; else db[f] = acc;                                                                   \
        }                                                                                                              \
    }                                                                                                                  \
    /* Convolution: x (N, C, im), w (F, C/G, k), y (N, F, co) */                                                       \
    SG__INTERNAL void sg__conv_fwd_##S(sg__kctx *k, const sg__cvg *v, int64_t N, int64_t C, int64_t F, int64_t G,      \
                                       const T *x, const T *w, const T *b, T *y, T *col) {                             \
        int64_t Cg = C / G, Fg = F / G, R = Cg * v->K, n, g;                                                           \
        for (n = 0; n < N; n++)                                                                                        \
            for (g = 0; g < G; g++) {                                                                                  \
                const T *xg = x + (n * C + g * Cg) * v->imL, *cb = xg;                                                 \
                if (!v->direct) { sg__im2col_##S(v, xg, Cg, col); cb = col; }                                          \
                sg__gemm_##S(k, 0, 0, Fg, v->coL, R, w + g * Fg * R, R, cb, v->coL, 0, y + (n * F + g * Fg) * v->coL,  \
                             v->coL);                                                                                  \
            }                                                                                                          \
        if (b) sg__bias_add_##S(y, b, N, F, v->coL);                                                                   \
    }                                                                                                                  \
    SG__INTERNAL void sg__conv_bwd_##S(sg__kctx *k, const sg__cvg *v, int64_t N, int64_t C, int64_t F, int64_t G,      \
                                       const T *gy, const T *x, const T *w, T *dx, int dxadd, T *dw, int dwadd, T *col) { \
        int64_t Cg = C / G, Fg = F / G, R = Cg * v->K, n, g;                                                           \
        if (dx && !dxadd && !v->direct) memset(dx, 0, (size_t)(N * C * v->imL) * sizeof(T));                          \
        if (dw && !dwadd && N == 0) memset(dw, 0, (size_t)(F * R) * sizeof(T));                                       \
        for (n = 0; n < N; n++)                                                                                        \
            for (g = 0; g < G; g++) {                                                                                  \
                const T *gyg = gy + (n * F + g * Fg) * v->coL, *xg = x + (n * C + g * Cg) * v->imL;                    \
                if (dw) {                                                                                              \
                    const T *cb = xg;                                                                                  \
                    if (!v->direct) { sg__im2col_##S(v, xg, Cg, col); cb = col; }                                      \
                    sg__gemm_##S(k, 0, 1, Fg, R, v->coL, gyg, v->coL, cb, v->coL, n > 0 || dwadd, dw + g * Fg * R, R); \
                }                                                                                                      \
                if (dx) {                                                                                              \
                    T *dxg = dx + (n * C + g * Cg) * v->imL;                                                           \
                    if (v->direct) sg__gemm_##S(k, 1, 0, R, v->coL, Fg, w + g * Fg * R, R, gyg, v->coL, dxadd, dxg, v->imL); \
                    else {                                                                                             \
                        sg__gemm_##S(k, 1, 0, R, v->coL, Fg, w + g * Fg * R, R, gyg, v->coL, 0, col, v->coL);          \
                        sg__col2im_##S(v, col, Cg, dxg);                                                               \
                    }                                                                                                  \
                }                                                                                                      \
            }                                                                                                          \
    }                                                                                                                  \
    /* Deconvolution: x (N, C, co), w (C, F/G, k), y (N, F, im) */                                                     \
    SG__INTERNAL void sg__deconv_fwd_##S(sg__kctx *k, const sg__cvg *v, int64_t N, int64_t C, int64_t F, int64_t G,    \
                                         const T *x, const T *w, const T *b, T *y, T *col) {                           \
        int64_t Cg = C / G, Fg = F / G, R = Fg * v->K, n, g;                                                           \
        if (!v->direct) memset(y, 0, (size_t)(N * F * v->imL) * sizeof(T));                                           \
        for (n = 0; n < N; n++)                                                                                        \
            for (g = 0; g < G; g++) {                                                                                  \
                const T *xg = x + (n * C + g * Cg) * v->coL, *wg = w + g * Cg * R;                                     \
                T *yg = y + (n * F + g * Fg) * v->imL;                                                                 \
                if (v->direct) sg__gemm_##S(k, 1, 0, R, v->coL, Cg, wg, R, xg, v->coL, 0, yg, v->imL);                 \
                else {                                                                                                 \
                    sg__gemm_##S(k, 1, 0, R, v->coL, Cg, wg, R, xg, v->coL, 0, col, v->coL);                           \
                    sg__col2im_##S(v, col, Fg, yg);                                                                    \
                }                                                                                                      \
            }                                                                                                          \
        if (b) sg__bias_add_##S(y, b, N, F, v->imL);                                                                   \
    }                                                                                                                  \
    SG__INTERNAL void sg__deconv_bwd_##S(sg__kctx *k, const sg__cvg *v, int64_t N, int64_t C, int64_t F, int64_t G,    \
                                         const T *gy, const T *x, const T *w, T *dx, int dxadd, T *dw, int dwadd,       \
                                         T *col) {                                                                     \
        int64_t Cg = C / G, Fg = F / G, R = Fg * v->K, n, g;                                                           \
        if (dw && !dwadd && N == 0) memset(dw, 0, (size_t)(C * R) * sizeof(T));                                        \
        for (n = 0; n < N; n++)                                                                                        \
            for (g = 0; g < G; g++) {                                                                                  \
                const T *gyg = gy + (n * F + g * Fg) * v->imL, *cb = gyg, *wg = w + g * Cg * R;                        \
                if (!v->direct) { sg__im2col_##S(v, gyg, Fg, col); cb = col; }                                         \
                if (dx) sg__gemm_##S(k, 0, 0, Cg, v->coL, R, wg, R, cb, v->coL, dxadd, dx + (n * C + g * Cg) * v->coL, v->coL); \
                if (dw)                                                                                                \
                    sg__gemm_##S(k, 0, 1, Cg, R, v->coL, x + (n * C + g * Cg) * v->coL, v->coL, cb, v->coL, n > 0 || dwadd, \
                                 dw + g * Cg * R, R);                                                                  \
            }                                                                                                          \
    }
SG__CONV_KERNELS(float, f)
SG__CONV_KERNELS(double, d)
#undef SG__CONV_KERNELS
/* Batch-parallel float32 Convolution. With T > 1 threads (sg_set_num_threads,
 * in a build with OpenMP or SYMGRAPH_PTHREADS) the images of a batch are cut
 * into min(T, N) contiguous parts run at once, each with its own column matrix
 * and single-threaded GEMMs in its own share of the GEMM workspace: one
 * fork/join per call, where threading each image's GEMM paid one per image and
 * lost time on small layers. The output and the data gradient are the bits of
 * the single-threaded run; the weight gradients of parts 1.. are summed in
 * private buffers and added to part 0's in part order, so they can differ from
 * the single-threaded sum by rounding. Workspace (sg__conv_ws, planned at bind
 * for the threads set then): S column matrices, then S - 1 weight-sized
 * buffers, sized for float64; fewer parts run when it holds fewer. */
typedef struct sg__convpar {
    sg__kctx *k;
    const sg__cvg *v;
    int64_t N, C, F, G;
    const float *x, *w, *b, *gy;
    float *y, *dx, *dw, *ws;
    int dxadd, dwadd;
    size_t colfl, wfl; /* floats of one column matrix, of the weight */
} sg__convpar;
/* The private weight gradient of part p >= 1 (of `parts`), after the column matrices. */
SG__INTERNAL float *sg__conv_dwpart(const sg__convpar *c, int p, int parts) {
    return c->ws + (size_t)parts * c->colfl + (size_t)(p - 1) * c->wfl;
}
SG__INTERNAL void sg__conv_part(void *ctx, int p, int parts) {
    const sg__convpar *c = (const sg__convpar *)ctx;
    int64_t n0 = c->N * p / parts, n1 = c->N * (p + 1) / parts, xs = c->C * c->v->imL, ys = c->F * c->v->coL;
    float *col = c->ws + (size_t)p * c->colfl;
    sg__kctx kp = *c->k;
    kp.gemm_part = p;
    kp.gemm_parts = parts;
    if (!c->gy) {
        sg__conv_fwd_f(&kp, c->v, n1 - n0, c->C, c->F, c->G, c->x + n0 * xs, c->w, c->b, c->y + n0 * ys, col);
    } else {
        float *dw = c->dw;
        int dwadd = c->dwadd;
        if (dw && p > 0) {
            dw = sg__conv_dwpart(c, p, parts);
            dwadd = 0;
        }
        sg__conv_bwd_f(&kp, c->v, n1 - n0, c->C, c->F, c->G, c->gy + n0 * ys, c->x + n0 * xs, c->w,
                       c->dx ? c->dx + n0 * xs : NULL, c->dxadd, dw, dwadd, col);
    }
}
/* Floats of one column matrix and of the weight, for C input channels, F
 * filters and G groups. */
SG__INTERNAL void sg__conv_floats(const sg__cvg *v, int64_t C, int64_t F, int64_t G, size_t *colfl, size_t *wfl) {
    *colfl = v->direct ? 0 : (size_t)(C / G * v->K * v->coL);
    *wfl = (size_t)(F * (C / G) * v->K);
}
/* Workspace bytes of `parts` parts: their column matrices and the weight
 * gradients of parts 1.., sized for float64. */
SG__INTERNAL size_t sg__conv_bytes(int parts, size_t colfl, size_t wfl) {
    return ((size_t)parts * colfl + (size_t)(parts - 1) * wfl) * sizeof(double);
}
/* Parts for a batch of N: at most the threads and N (at least 1). */
SG__INTERNAL int sg__conv_threads(int64_t N) {
    int p = sg__par_threads();
    if ((int64_t)p > N) p = (int)N;
    return p < 1 ? 1 : p;
}
/* Parts a call runs: sg__conv_threads, fewer when the workspace holds fewer. */
SG__INTERNAL int sg__conv_parts(const sg__kctx *k, int64_t N, size_t colfl, size_t wfl) {
    int p = sg__conv_threads(N);
    while (p > 1 && sg__conv_bytes(p, colfl, wfl) > k->ws_bytes) p--;
    return p;
}
/* Run the float32 Convolution forward (gy NULL) or backward batch-parallel;
 * returns 0 (nothing done) when one part would run. */
SG__INTERNAL int sg__conv_par(sg__kctx *k, const sg__cvg *v, int64_t N, int64_t C, int64_t F, int64_t G,
                              const float *x, const float *w, const float *b, float *y, const float *gy, float *dx,
                              int dxadd, float *dw, int dwadd) {
    sg__convpar c;
    int parts, p;
    size_t i;
    sg__conv_floats(v, C, F, G, &c.colfl, &c.wfl);
    parts = sg__conv_parts(k, N, c.colfl, c.wfl);
    if (parts <= 1) return 0;
    c.k = k; c.v = v; c.N = N; c.C = C; c.F = F; c.G = G;
    c.x = x; c.w = w; c.b = b; c.gy = gy; c.y = y; c.dx = dx; c.dw = dw; c.ws = (float *)k->ws;
    c.dxadd = dxadd; c.dwadd = dwadd;
    sg__parallel(parts, sg__conv_part, &c);
    if (gy && dw)
        for (p = 1; p < parts; p++) {
            const float *q = sg__conv_dwpart(&c, p, parts);
            for (i = 0; i < c.wfl; i++) dw[i] += q[i];
        }
    return 1;
}
/* Workspace: one image's column matrix for one group, sized for float64; with
 * T threads, T of them and T - 1 weight-sized buffers (see sg__conv_par). */
SG__INTERNAL size_t sg__conv_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) {
    sg__cvg v;
    const sg__pval *lay = sg__param(n, "layout");
    size_t colfl, wfl;
    if (!lay->none && lay->s[strlen(lay->s) - 1] == 'C') return 0;
    sg__cvg_make(n, &in[0], &out[0], 0, &v);
    sg__conv_floats(&v, in[0].dims[1], SG__PI(n, "num_filter"), SG__PI(n, "num_group"), &colfl, &wfl);
    return sg__conv_bytes(sg__conv_threads(in[0].dims[0]), colfl, wfl);
}
SG__INTERNAL size_t sg__deconv_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) {
    sg__cvg v;
    const sg__pval *lay = sg__param(n, "layout");
    if (!lay->none && lay->s[strlen(lay->s) - 1] == 'C') return 0;
    sg__cvg_make(n, &out[0], &in[0], 1, &v);
    if (v.direct) return 0;
    return (size_t)(SG__PI(n, "num_filter") / SG__PI(n, "num_group") * v.K * v.coL) * sizeof(double);
}
/* Shared checks and sizes of both operators' kernels. */
SG__INTERNAL int sg__cv_prep(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, const sg_ndarray *y, int deconv,
                             sg__cvg *v) {
    int st;
    if ((st = sg__conv_layout(k, n)) != SG_OK || (st = sg__nn_same(k, n, in, n->nin)) != SG_OK) return st;
    if (deconv) sg__cvg_make(n, &y->shape, &in[0]->shape, 1, v);
    else sg__cvg_make(n, &in[0]->shape, &y->shape, 0, v);
    if (!v->direct && !k->ws)
        return sg__seterr(k->g, SG_ERR_ARG, "Operator %s (%s): no workspace", n->name, n->op->name);
    return SG_OK;
}
/* Convolution (deconv 0) and Deconvolution (deconv 1) share their dispatch:
 * the geometry, the dtype switch and the bias; the output's spatial length is
 * coL for Convolution and imL for Deconvolution. */
SG__INTERNAL int sg__cvx_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out, int deconv) {
    sg__cvg v;
    int64_t N = in[0]->shape.dims[0], C = in[0]->shape.dims[1], F = SG__PI(n, "num_filter"), G = SG__PI(n, "num_group");
    int st, bias = n->nin > 2;
    if ((st = sg__cv_prep(k, n, in, out[0], deconv, &v)) != SG_OK) return st;
    if (in[0]->dtype == SG_FLOAT64) {
        const double *x = (const double *)in[0]->data, *w = (const double *)in[1]->data;
        const double *b = bias ? (const double *)in[2]->data : NULL;
        if (deconv) sg__deconv_fwd_d(k, &v, N, C, F, G, x, w, b, (double *)out[0]->data, (double *)k->ws);
        else sg__conv_fwd_d(k, &v, N, C, F, G, x, w, b, (double *)out[0]->data, (double *)k->ws);
    } else {
        const float *b = bias ? SG__F(in[2]) : NULL;
        if (deconv) sg__deconv_fwd_f(k, &v, N, C, F, G, SG__F(in[0]), SG__F(in[1]), b, SG__F(out[0]), (float *)k->ws);
        else if (!sg__conv_par(k, &v, N, C, F, G, SG__F(in[0]), SG__F(in[1]), b, SG__F(out[0]), NULL, NULL, 0, NULL, 0))
            sg__conv_fwd_f(k, &v, N, C, F, G, SG__F(in[0]), SG__F(in[1]), b, SG__F(out[0]), (float *)k->ws);
    }
    return SG_OK;
}
SG__INTERNAL int sg__cvx_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                             sg_ndarray *const *ig, const int *req, int deconv) {
    sg__cvg v;
    int64_t N = in[0]->shape.dims[0], C = in[0]->shape.dims[1], F = SG__PI(n, "num_filter"), G = SG__PI(n, "num_group");
    int st, dbias = n->nin > 2 && ig[2], addx = req[0] == SG_REQ_ADD, addw = req[1] == SG_REQ_ADD;
    if (!ig[0] && !ig[1] && !dbias) return SG_OK;
    if (!og[0]) return sg__nn_no_og(n, ig, req);
    if ((st = sg__cv_prep(k, n, in, og[0], deconv, &v)) != SG_OK) return st;
    if (in[0]->dtype == SG_FLOAT64) {
        const double *g = (const double *)og[0]->data, *x = (const double *)in[0]->data, *w = (const double *)in[1]->data;
        double *dx = ig[0] ? (double *)ig[0]->data : NULL, *dw = ig[1] ? (double *)ig[1]->data : NULL;
        if (deconv) sg__deconv_bwd_d(k, &v, N, C, F, G, g, x, w, dx, addx, dw, addw, (double *)k->ws);
        else sg__conv_bwd_d(k, &v, N, C, F, G, g, x, w, dx, addx, dw, addw, (double *)k->ws);
        if (dbias) sg__bias_grad_d(g, (double *)ig[2]->data, req[2] == SG_REQ_ADD, N, F, deconv ? v.imL : v.coL);
    } else {
        const float *g = SG__F(og[0]), *x = SG__F(in[0]), *w = SG__F(in[1]);
        float *dx = ig[0] ? SG__F(ig[0]) : NULL, *dw = ig[1] ? SG__F(ig[1]) : NULL;
        if (deconv) sg__deconv_bwd_f(k, &v, N, C, F, G, g, x, w, dx, addx, dw, addw, (float *)k->ws);
        else if ((dx || dw) && !sg__conv_par(k, &v, N, C, F, G, x, w, NULL, NULL, g, dx, addx, dw, addw))
            sg__conv_bwd_f(k, &v, N, C, F, G, g, x, w, dx, addx, dw, addw, (float *)k->ws);
        if (dbias) sg__bias_grad_f(g, SG__F(ig[2]), req[2] == SG_REQ_ADD, N, F, deconv ? v.imL : v.coL);
    }
    return SG_OK;
}
SG__INTERNAL int sg__conv_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    return sg__cvx_fwd(k, n, in, out, 0);
}
SG__INTERNAL int sg__conv_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                              sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    (void)out;
    return sg__cvx_bwd(k, n, og, in, ig, req, 0);
}
SG__INTERNAL int sg__deconv_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    return sg__cvx_fwd(k, n, in, out, 1);
}
SG__INTERNAL int sg__deconv_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    (void)out;
    return sg__cvx_bwd(k, n, og, in, ig, req, 1);
}

/* ---------------------------------------------------------------------------
 * Pooling: max | avg | sum | lp, valid | full | same, global_pool.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_pool[] = {
    {"kernel", SG__P_TUPLE, "()", NULL, 0},
    {"pool_type", SG__P_ENUM, "max", "avg|lp|max|sum", 0},
    {"global_pool", SG__P_BOOL, "False", NULL, 0},
    {"cudnn_off", SG__P_BOOL, "False", NULL, 0},
    {"pooling_convention", SG__P_ENUM, "valid", "full|same|valid", 0},
    {"stride", SG__P_TUPLE, "()", NULL, 0},
    {"pad", SG__P_TUPLE, "()", NULL, 0},
    {"p_value", SG__P_INT, "None", NULL, SG__PF_OPT},
    {"count_include_pad", SG__P_BOOL, "None", NULL, SG__PF_OPT},
    {"layout", SG__P_ENUM, "None", SG__LAYOUTS, SG__PF_OPT},
};
enum { SG__POOL_AVG, SG__POOL_LP, SG__POOL_MAX, SG__POOL_SUM };
enum { SG__CONV_FULL, SG__CONV_SAME, SG__CONV_VALID };
/* node_row_ptr count in an MKLDNN build (MKLDNNRequireWorkspace && SupportMKLDNNPooling) */
SG__INTERNAL int sg__pool_mkldnn_rows(const sg__node *n) {
    const sg__pval *k = sg__param(n, "kernel"), *lay = sg__param(n, "layout");
    if (SG__PI(n, "pool_type") != SG__POOL_MAX) return 1;
    if (k->ndim < 1 || k->ndim > 3) return 1;
    if (!lay->none && strncmp(lay->s, "NC", 2)) return 1;
    return 2;
}
SG__INTERNAL int sg__pool_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg__pval *k = sg__param(n, "kernel"), *s = sg__param(n, "stride"), *p = sg__param(n, "pad");
    const sg__pval *lay = sg__param(n, "layout");
    int conv = (int)SG__PI(n, "pooling_convention"), i, chlast;
    sg_shape d = in[0], o;
    char a[256];
    if (d.ndim < 0) return SG_OK;
    if (conv == SG__CONV_SAME) {
        if (d.ndim != 3) return sg__fail(c, n, "Pooling: Input data should be 3D in (batch, channel, x). Currently 'same' supports Max Pooling 1-D");
        /* MXNet 1.9.1 then checks pad[0], pad[1] and pad[2] of a 1-D pad: always an error */
        if (p->ndim > 0 && p->t[0] != 0) return sg__fail(c, n, "Same pooling convention disables the use of pad parameter.");
        return sg__fail(c, n, "Same pooling convention: index = 1 must be in range [0, 1) (MXNet 1.9.1 rejects it)");
    }
    if (d.ndim < 3 || d.ndim > 5)
        return sg__fail(c, n, "Pooling: Input data should be 3D in (batch, channel, x) Or 4D in (batch, channel, y, x)  Or 5D in (batch, channel, d, y, x), got %s",
                        sg_shape_str(&d, a, sizeof a));
    chlast = !lay->none && lay->s[strlen(lay->s) - 1] == 'C';
    if (SG__PI(n, "global_pool")) {
        int ci = chlast ? d.ndim - 1 : 1;
        o = d;
        for (i = 1; i < d.ndim; i++) if (i != ci) o.dims[i] = 1;
        out[0] = o;
        return SG_OK;
    }
    if (k->ndim == 0) return SG_OK;
    if (k->ndim > 3 || d.ndim != k->ndim + 2)
        return sg__fail(c, n, "Pooling: Input data should be %dD for a %d-D kernel, got %s", k->ndim + 2, k->ndim,
                        sg_shape_str(&d, a, sizeof a));
    if ((s->ndim && s->ndim != k->ndim) || (p->ndim && p->ndim != k->ndim))
        return sg__fail(c, n, "stride and pad must have as many dims as kernel %s", k->s);
    d = sg__to_nc(d, chlast, 1);
    o = d;
    for (i = 0; i < k->ndim; i++) {
        int64_t x = d.dims[2 + i], kk = k->t[i], ss = s->ndim ? s->t[i] : 1, pp = p->ndim ? p->t[i] : 0;
        if (kk <= 0 || ss <= 0 || pp < 0) return sg__fail(c, n, "invalid kernel %s, stride or pad", k->s);
        if (!(x >= 0 && kk <= x + 2 * pp))
            return sg__fail(c, n, "kernel size (%lld) exceeds input (%lld padded to %lld)", (long long)kk, (long long)x,
                            (long long)(x + 2 * pp));
        if (conv == SG__CONV_VALID) o.dims[2 + i] = 1 + (x + 2 * pp - kk) / ss;
        else o.dims[2 + i] = 1 + (int64_t)ceil((double)(float)(x + 2 * pp - kk) / (double)ss);
    }
    out[0] = sg__to_nc(o, chlast, 0);
    return SG_OK;
}

/* Kernels (NC* layouts), as MXNet's pool.h: windows start at o*s - p. max
 * ignores padded cells (an empty window gives the dtype's lowest value) and its
 * gradient goes to the first maximum in row-major window order; avg divides by
 * the window clipped to [-p, x+p) (count_include_pad, the default) or by its
 * valid cells; sum does not divide; lp (p_value 1, 2, 3) is the p-norm without
 * abs, as MXNet (a^p summed, then the p-th root; cbrt keeps the sign). An
 * empty avg window (pooling_convention full, a window past the padding) gives
 * 0 in 1-D and 2-D and NaN in 3-D, as MXNet's pool_avg_{1,2,3}d. */
typedef struct sg__plg {
    int64_t im[3], co[3], k[3], s[3], p[3], imL, coL;
    int type, cip, pv, nsp;
} sg__plg;
SG__INTERNAL int sg__plg_make(sg__kctx *k, const sg__node *n, const sg_shape *in, const sg_shape *out, sg__plg *v) {
    const sg__pval *kp = sg__param(n, "kernel"), *sp = sg__param(n, "stride"), *pp = sg__param(n, "pad");
    const sg__pval *cp = sg__param(n, "count_include_pad"), *pv = sg__param(n, "p_value"), *lay = sg__param(n, "layout");
    int nsp = in->ndim - 2, off, i, glob = (int)SG__PI(n, "global_pool");
    if (!lay->none && lay->s[strlen(lay->s) - 1] == 'C')
        return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (Pooling): unsupported layout %s (the CPU kernels take NCW, NCHW and NCDHW)",
                          n->name, lay->s);
    if (nsp < 1 || nsp > 3 || (!glob && kp->ndim != nsp))
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (Pooling): kernel %s does not fit %d-D data", n->name, kp->s, in->ndim);
    off = 3 - nsp;
    v->nsp = nsp;
    for (i = 0; i < 3; i++) { v->im[i] = v->co[i] = v->k[i] = v->s[i] = 1; v->p[i] = 0; }
    for (i = 0; i < nsp; i++) {
        int j = off + i;
        v->im[j] = in->dims[2 + i];
        v->co[j] = out->dims[2 + i];
        if (glob) { v->k[j] = v->im[j]; continue; }
        v->k[j] = kp->t[i];
        v->s[j] = sp->ndim ? sp->t[i] : 1;
        v->p[j] = pp->ndim ? pp->t[i] : 0;
    }
    v->imL = v->im[0] * v->im[1] * v->im[2];
    v->coL = v->co[0] * v->co[1] * v->co[2];
    v->type = (int)SG__PI(n, "pool_type");
    v->cip = cp->none ? 1 : (int)cp->i;
    v->pv = 1;
    if (v->type == SG__POOL_LP) {
        if (pv->none) return sg__seterr(k->g, SG_ERR_PARAM, "Operator %s (Pooling): lp pooling needs p_value", n->name);
        if (pv->i < 1 || pv->i > 3)
            return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (Pooling): p value of %lld is not supported yet...", n->name, pv->i);
        v->pv = (int)pv->i;
    }
    return SG_OK;
}
/* The window of output position o along dim j: [*a, *b) clipped to the data, and
 * the avg divisor's extent along j in *ext. */
SG__INTERNAL void sg__pool_win(const sg__plg *v, int j, int64_t o, int64_t *a, int64_t *b, int64_t *ext) {
    int64_t st = o * v->s[j] - v->p[j], en = st + v->k[j];
    if (v->type == SG__POOL_MAX) {
        if (en > v->im[j]) en = v->im[j];
        if (st < 0) st = 0;
        *ext = en - st;
    } else {
        if (en > v->im[j] + v->p[j]) en = v->im[j] + v->p[j];
        *ext = en - st;
        if (st < 0) st = 0;
        if (en > v->im[j]) en = v->im[j];
        if (!v->cip) *ext = en - st;
    }
    *a = st;
    *b = en;
}
SG__INTERNAL float sg__mcbrt_f(float x) { return cbrtf(x); }
SG__INTERNAL double sg__mcbrt_d(double x) { return cbrt(x); }
#define SG__POOL_KERNELS(T, S, LOWEST)                                                                                \
    SG__INTERNAL void sg__pool_fwd_##S(const sg__plg *v, const T *x, T *y, int64_t planes) {                          \
        int64_t pl, o0, o1, o2, a[3], b[3], e[3], i0, i1, i2;                                                          \
        for (pl = 0; pl < planes; pl++, x += v->imL)                                                                   \
            for (o0 = 0; o0 < v->co[0]; o0++) {                                                                        \
                sg__pool_win(v, 0, o0, &a[0], &b[0], &e[0]);                                                           \
                for (o1 = 0; o1 < v->co[1]; o1++) {                                                                    \
                    sg__pool_win(v, 1, o1, &a[1], &b[1], &e[1]);                                                       \
                    for (o2 = 0; o2 < v->co[2]; o2++, y++) {                                                           \
                        sg__pool_win(v, 2, o2, &a[2], &b[2], &e[2]);                                                   \
                        if (v->type == SG__POOL_MAX) {                                                                 \
                            T m = LOWEST;                                                                              \
                            for (i0 = a[0]; i0 < b[0]; i0++)                                                           \
                                for (i1 = a[1]; i1 < b[1]; i1++) {                                                     \
                                    const T *r = x + (i0 * v->im[1] + i1) * v->im[2];                                  \
                                    for (i2 = a[2]; i2 < b[2]; i2++) if (r[i2] > m) m = r[i2];                         \
                                }                                                                                      \
                            *y = m;                                                                                    \
                        } else {                                                                                       \
                            T acc = 0;                                                                                 \
                            int64_t cnt = v->type == SG__POOL_AVG ? e[0] * e[1] * e[2] : 1;                            \
                            for (i0 = a[0]; i0 < b[0]; i0++)                                                           \
                                for (i1 = a[1]; i1 < b[1]; i1++) {                                                     \
                                    const T *r = x + (i0 * v->im[1] + i1) * v->im[2];                                  \
                                    if (v->pv == 1) for (i2 = a[2]; i2 < b[2]; i2++) acc += r[i2];                     \
                                    else if (v->pv == 2) for (i2 = a[2]; i2 < b[2]; i2++) acc += r[i2] * r[i2];        \
                                    else for (i2 = a[2]; i2 < b[2]; i2++) acc += r[i2] * r[i2] * r[i2];                \
                                }                                                                                      \
                            if (cnt > 1) acc /= (T)cnt;                                                                \
                            /* MXNet's 3-D avg divides an empty window's 0 by 0 */                                     \
                            else if (cnt == 0 && v->nsp == 3 && v->type == SG__POOL_AVG) acc = (T)NAN;                  \
                            *y = v->pv == 1 ? acc : v->pv == 2 ? (T)sqrt((double)acc) : sg__mcbrt_##S(acc);            \
                        }                                                                                              \
                    }                                                                                                  \
                }                                                                                                      \
            }                                                                                                          \
    }                                                                                                                  \
    /* dx must hold zeros (write) or the values to add to */                                                          \
    SG__INTERNAL void sg__pool_bwd_##S(const sg__plg *v, const T *g, const T *x, const T *y, T *dx, int64_t planes) {  \
        int64_t pl, o0, o1, o2, a[3], b[3], e[3], i0, i1, i2;                                                          \
        for (pl = 0; pl < planes; pl++, x += v->imL, dx += v->imL)                                                     \
            for (o0 = 0; o0 < v->co[0]; o0++) {                                                                        \
                sg__pool_win(v, 0, o0, &a[0], &b[0], &e[0]);                                                           \
                for (o1 = 0; o1 < v->co[1]; o1++) {                                                                    \
                    sg__pool_win(v, 1, o1, &a[1], &b[1], &e[1]);                                                       \
                    for (o2 = 0; o2 < v->co[2]; o2++, y++, g++) {                                                      \
                        sg__pool_win(v, 2, o2, &a[2], &b[2], &e[2]);                                                   \
                        if (v->type == SG__POOL_MAX) {                                                                 \
                            int64_t at = -1;                                                                           \
                            for (i0 = a[0]; i0 < b[0] && at < 0; i0++)                                                 \
                                for (i1 = a[1]; i1 < b[1] && at < 0; i1++) {                                           \
                                    int64_t base = (i0 * v->im[1] + i1) * v->im[2];                                    \
                                    for (i2 = a[2]; i2 < b[2]; i2++) if (x[base + i2] == *y) { at = base + i2; break; } \
                                }                                                                                      \
                            if (at >= 0) dx[at] += *g;                                                                 \
                        } else {                                                                                       \
                            int64_t cnt = v->type == SG__POOL_AVG ? e[0] * e[1] * e[2] : 1;                            \
                            T gv = cnt > 1 ? *g / (T)cnt : *g, yv = *y;                                                \
                            for (i0 = a[0]; i0 < b[0]; i0++)                                                           \
                                for (i1 = a[1]; i1 < b[1]; i1++) {                                                     \
                                    int64_t base = (i0 * v->im[1] + i1) * v->im[2];                                    \
                                    if (v->pv == 1) for (i2 = a[2]; i2 < b[2]; i2++) dx[base + i2] += gv;              \
                                    else if (v->pv == 2)                                                               \
                                        for (i2 = a[2]; i2 < b[2]; i2++) dx[base + i2] += gv * x[base + i2] / yv;      \
                                    else                                                                               \
                                        for (i2 = a[2]; i2 < b[2]; i2++)                                               \
                                            dx[base + i2] += gv * x[base + i2] * x[base + i2] / (yv * yv);             \
                                }                                                                                      \
                        }                                                                                              \
                    }                                                                                                  \
                }                                                                                                      \
            }                                                                                                          \
    }
SG__POOL_KERNELS(float, f, -FLT_MAX)
SG__POOL_KERNELS(double, d, -DBL_MAX)
#undef SG__POOL_KERNELS
/* One call's arrays, for sg__par_range over the (n, c) planes; g set: backward. */
typedef struct sg__poolpar {
    const sg__plg *v;
    const void *g, *x, *y;
    void *out;
    int dbl;
} sg__poolpar;
SG__INTERNAL void sg__pool_range(void *ctx, int64_t a, int64_t b) {
    const sg__poolpar *q = (const sg__poolpar *)ctx;
    int64_t i = a * q->v->imL, o = a * q->v->coL;
    if (q->dbl && q->g)
        sg__pool_bwd_d(q->v, (const double *)q->g + o, (const double *)q->x + i, (const double *)q->y + o,
                       (double *)q->out + i, b - a);
    else if (q->dbl) sg__pool_fwd_d(q->v, (const double *)q->x + i, (double *)q->out + o, b - a);
    else if (q->g)
        sg__pool_bwd_f(q->v, (const float *)q->g + o, (const float *)q->x + i, (const float *)q->y + o,
                       (float *)q->out + i, b - a);
    else sg__pool_fwd_f(q->v, (const float *)q->x + i, (float *)q->out + o, b - a);
}
/* Elements a Pooling call reads and writes, for sg__par_range */
SG__INTERNAL double sg__pooling_work(const sg__plg *v, int64_t planes) {
    return (double)planes * ((double)v->imL + (double)v->coL * (double)(v->k[0] * v->k[1] * v->k[2]));
}
SG__INTERNAL int sg__pool_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg__plg v;
    sg__poolpar q;
    int st;
    int64_t planes;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK || (st = sg__plg_make(k, n, &in[0]->shape, &out[0]->shape, &v)) != SG_OK) return st;
    planes = in[0]->shape.dims[0] * in[0]->shape.dims[1];
    memset(&q, 0, sizeof q);
    q.v = &v;
    q.x = in[0]->data;
    q.out = out[0]->data;
    q.dbl = in[0]->dtype == SG_FLOAT64;
    sg__par_range(planes, sg__pooling_work(&v, planes), sg__pool_range, &q);
    return SG_OK;
}
SG__INTERNAL int sg__pool_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                              sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg__plg v;
    sg__poolpar q;
    int st;
    int64_t planes;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sg__nn_no_og(n, ig, req);
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK || (st = sg__plg_make(k, n, &in[0]->shape, &out[0]->shape, &v)) != SG_OK) return st;
    planes = in[0]->shape.dims[0] * in[0]->shape.dims[1];
    if (req[0] != SG_REQ_ADD && ig[0]->nbytes) memset(ig[0]->data, 0, ig[0]->nbytes);
    q.v = &v;
    q.g = og[0]->data;
    q.x = in[0]->data;
    q.y = out[0]->data;
    q.out = ig[0]->data;
    q.dbl = in[0]->dtype == SG_FLOAT64;
    sg__par_range(planes, 2.0 * sg__pooling_work(&v, planes), sg__pool_range, &q);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * BatchNorm: inputs data, gamma, beta, moving_mean, moving_var (auxiliary).
 * Outputs output, mean, var (var holds 1/sqrt(var+eps)); 1 visible.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_bn[] = {
    {"eps", SG__P_FLOAT, "0.001", NULL, SG__PF_F64},
    {"momentum", SG__P_FLOAT, "0.9", NULL, 0},
    {"fix_gamma", SG__P_BOOL, "True", NULL, 0},
    {"use_global_stats", SG__P_BOOL, "False", NULL, 0},
    {"output_mean_var", SG__P_BOOL, "False", NULL, 0},
    {"axis", SG__P_INT, "1", NULL, 0},
    {"cudnn_off", SG__P_BOOL, "False", NULL, 0},
    {"min_calib_range", SG__P_FLOAT, "None", NULL, SG__PF_OPT},
    {"max_calib_range", SG__P_FLOAT, "None", NULL, SG__PF_OPT},
};
SG__INTERNAL int sg__bn_nvis(const sg__node *n) { return SG__PI(n, "output_mean_var") ? 3 : 1; }
SG__INTERNAL int sg__bn_compose(sg__node *n, int index, sg__node *var) {
    (void)n;
    if (sg__attrs_get(&var->attrs, "__init__")) return 1;
    if (index == 3) return sg__attrs_set(&var->attrs, "__init__", "[\"zero\", {}]");
    if (index == 4) return sg__attrs_set(&var->attrs, "__init__", "[\"one\", {}]");
    return 1;
}
SG__INTERNAL int sg__bn_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape d = in[0], ch;
    int axis, i;
    if (d.ndim < 0) return SG_OK;
    axis = (int)SG__PI(n, "axis");
    if (axis < 0) axis += d.ndim;
    if (axis < 0 || axis >= d.ndim) return sg__fail(c, n, "Channel axis out of range: %lld", SG__PI(n, "axis"));
    ch = sg__shp(1, d.dims[axis]);
    for (i = 1; i < 5; i++) in[i] = ch; /* MXNet overwrites these four, it does not check them */
    out[0] = d;
    out[1] = ch;
    out[2] = ch;
    return SG_OK;
}
SG__INTERNAL int sg__bn_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    int d = in[0], dp, i, st;
    if (d < 0) {
        if (out[0] < 0) return SG_OK;
        d = in[0] = out[0];
    }
    if (d == SG_FLOAT16 || d == SG_BFLOAT16) dp = SG_FLOAT32;
    else if (d == SG_FLOAT32 || d == SG_FLOAT64) dp = d;
    else return sg__seterr(c->g, SG_ERR_TYPE, "Error in operator %s (BatchNorm): data type %s is not a floating point type",
                           n->name, sg_dtype_name(d) ? sg_dtype_name(d) : "?");
    for (i = 1; i < c->nin; i++) {
        if (in[i] < 0) in[i] = dp;
        else if (in[i] != dp) return sg__type_err(c, n, i, in[i], dp);
    }
    out[0] = d;
    for (i = 1; i < c->nout; i++) out[i] = dp;
    (void)st;
    return SG_OK;
}

/* Kernels, as MXNet's CPU BatchNorm: the data viewed as outer x C x inner along
 * axis. Training (is_train and not use_global_stats) uses the batch mean and the
 * biased variance, else the moving statistics; output 1 holds the mean, output
 * 2 1/sqrt(var + eps). fix_gamma uses gamma = 1 and, as MXNet, writes 1 into
 * the gamma array. The moving statistics are updated in backward, in training
 * only, from the saved mean and the variance recovered from the inverse std. */
SG__INTERNAL void sg__bn_dims(const sg__node *n, const sg_shape *d, int64_t *outer, int64_t *C, int64_t *inner) {
    int ax = sg__axis(SG__PI(n, "axis"), d->ndim);
    if (ax < 0) ax = d->ndim > 1 ? 1 : 0;
    *outer = sg__known_prod(d, 0, ax);
    *C = d->ndim > 0 ? d->dims[ax] : 1;
    *inner = sg__known_prod(d, ax + 1, d->ndim);
}
/* One call's arrays and settings, for sg__par_range over the channels. Forward:
 * x, gamma, beta, mm, mv -> y, mean, var. Backward: g (NULL: no head gradient),
 * x, gamma, mean, var -> dx, dg, db (each NULL when not wanted), updating mm, mv
 * in training. */
typedef struct sg__bnpar {
    const void *g, *x, *beta, *mean, *var;
    void *gamma, *mm, *mv, *y, *omean, *ovar, *dx, *dg, *db;
    int64_t outer, C, inner;
    int train, fix, dxadd, dgadd, dbadd, dbl;
    double eps, mom;
} sg__bnpar;
#define SG__BN_KERNELS(T, S)                                                                                          \
    SG__INTERNAL void sg__bn_fwd_##S(const sg__bnpar *q, int64_t c0, int64_t c1) {                                     \
        const T *x = (const T *)q->x, *beta = (const T *)q->beta, *mm = (const T *)q->mm, *mv = (const T *)q->mv;      \
        T *gamma = (T *)q->gamma, *y = (T *)q->y, *mean = (T *)q->omean, *var = (T *)q->ovar;                          \
        int64_t c, o, i, outer = q->outer, C = q->C, inner = q->inner, m = outer * inner;                              \
        for (c = c0; c < c1; c++) {                                                                                    \
            double mu = 0, inv, w, b = beta[c];                                                                        \
            if (q->train) {                                                                                            \
                double vs = 0;                                                                                         \
                for (o = 0; o < outer; o++) {                                                                          \
                    const T *p = x + (o * C + c) * inner;                                                              \
                    for (i = 0; i < inner; i++) mu += p[i];                                                            \
                }                                                                                                      \
                mu = m > 0 ? mu / (double)m : 0;                                                                       \
                for (o = 0; o < outer; o++) {                                                                          \
                    const T *p = x + (o * C + c) * inner;                                                              \
                    for (i = 0; i < inner; i++) vs += ((double)p[i] - mu) * ((double)p[i] - mu);                       \
                }                                                                                                      \
                inv = 1.0 / sqrt((m > 0 ? vs / (double)m : 0) + q->eps);                                               \
            } else {                                                                                                   \
                mu = mm[c];                                                                                            \
                inv = 1.0 / sqrt((double)mv[c] + q->eps);                                                              \
            }                                                                                                          \
            if (q->fix) gamma[c] = (T)1;                                                                               \
            w = q->fix ? 1.0 : (double)gamma[c];                                                                       \
            mean[c] = (T)mu;                                                                                           \
            var[c] = (T)inv;                                                                                           \
            for (o = 0; o < outer; o++) {                                                                              \
                const T *p = x + (o * C + c) * inner;                                                                  \
                T *r = y + (o * C + c) * inner;                                                                        \
                for (i = 0; i < inner; i++) r[i] = (T)(((double)p[i] - mu) * inv * w + b);                             \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    SG__INTERNAL void sg__bn_bwd_##S(const sg__bnpar *q, int64_t c0, int64_t c1) {                                     \
        const T *g = (const T *)q->g, *x = (const T *)q->x, *gamma = (const T *)q->gamma;                              \
        const T *mean = (const T *)q->mean, *var = (const T *)q->var;                                                  \
        T *mm = (T *)q->mm, *mv = (T *)q->mv, *dx = (T *)q->dx, *dg = (T *)q->dg, *db = (T *)q->db;                    \
        int64_t c, o, i, outer = q->outer, C = q->C, inner = q->inner, m = outer * inner;                              \
        int train = q->train, fix = q->fix;                                                                            \
        for (c = c0; c < c1; c++) {                                                                                    \
            double mu, inv, w = fix ? 1.0 : (double)gamma[c], sg = 0, dot = 0;                                         \
            if (train) {                                                                                               \
                mu = mean[c];                                                                                          \
                inv = var[c];                                                                                          \
                mm[c] = (T)((double)mm[c] * q->mom + mu * (1.0 - q->mom));                                             \
                mv[c] = (T)((double)mv[c] * q->mom + (1.0 / (inv * inv) - q->eps) * (1.0 - q->mom));                   \
            } else {                                                                                                   \
                mu = mm[c];                                                                                            \
                inv = 1.0 / sqrt((double)mv[c] + q->eps);                                                              \
            }                                                                                                          \
            if (g)                                                                                                     \
                for (o = 0; o < outer; o++) {                                                                          \
                    const T *p = x + (o * C + c) * inner, *r = g + (o * C + c) * inner;                                \
                    for (i = 0; i < inner; i++) { sg += r[i]; dot += ((double)p[i] - mu) * r[i]; }                     \
                }                                                                                                      \
            if (dx) {                                                                                                  \
                double kk = (train && m > 0) ? dot * inv * inv / (double)m : 0, gm = (train && m > 0) ? sg / (double)m : 0; \
                double iw = inv * w;                                                                                   \
                for (o = 0; o < outer; o++) {                                                                          \
                    const T *p = x + (o * C + c) * inner, *r = g ? g + (o * C + c) * inner : NULL;                     \
                    T *d = dx + (o * C + c) * inner;                                                                   \
                    for (i = 0; i < inner; i++) {                                                                      \
                        double gv = r ? (double)r[i] : 0.0;                                                            \
                        T v = (T)(train ? (gv - gm - ((double)p[i] - mu) * kk) * iw : gv * iw);                        \
                        if (q->dxadd) d[i] += v; else d[i] = v;                                                        \
                    }                                                                                                  \
                }                                                                                                      \
            }                                                                                                          \
            if (dg) { T v = (T)(fix ? 0.0 : dot * inv); if (q->dgadd) dg[c] += v; else dg[c] = v; }                    \
            if (db) { if (q->dbadd) db[c] += (T)sg; else db[c] = (T)sg; }                                              \
        }                                                                                                              \
    }
SG__BN_KERNELS(float, f)
SG__BN_KERNELS(double, d)
#undef SG__BN_KERNELS
SG__INTERNAL void sg__bn_fwd_range(void *ctx, int64_t a, int64_t b) {
    const sg__bnpar *q = (const sg__bnpar *)ctx;
    if (q->dbl) sg__bn_fwd_d(q, a, b);
    else sg__bn_fwd_f(q, a, b);
}
SG__INTERNAL void sg__bn_bwd_range(void *ctx, int64_t a, int64_t b) {
    const sg__bnpar *q = (const sg__bnpar *)ctx;
    if (q->dbl) sg__bn_bwd_d(q, a, b);
    else sg__bn_bwd_f(q, a, b);
}
/* The settings both directions share. */
SG__INTERNAL void sg__bn_par(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg__bnpar *q) {
    memset(q, 0, sizeof *q);
    sg__bn_dims(n, &in[0]->shape, &q->outer, &q->C, &q->inner);
    q->train = k->is_train && !SG__PI(n, "use_global_stats");
    q->fix = (int)SG__PI(n, "fix_gamma");
    q->eps = SG__PF(n, "eps");
    q->mom = SG__PF(n, "momentum");
    q->dbl = in[0]->dtype == SG_FLOAT64;
    q->x = in[0]->data;
    q->gamma = in[1]->data;
    q->mm = in[3]->data;
    q->mv = in[4]->data;
}
SG__INTERNAL int sg__bn_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg__bnpar q;
    int st;
    if ((st = sg__nn_same(k, n, in, 5)) != SG_OK) return st;
    sg__bn_par(k, n, in, &q);
    q.beta = in[2]->data;
    q.y = out[0]->data;
    q.omean = out[1]->data;
    q.ovar = out[2]->data;
    sg__par_range(q.C, (q.train ? 3.0 : 2.0) * (double)in[0]->size, sg__bn_fwd_range, &q);
    return SG_OK;
}
SG__INTERNAL int sg__bn_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                            sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg__bnpar q;
    int st;
    if ((st = sg__nn_same(k, n, in, 5)) != SG_OK) return st;
    sg__bn_par(k, n, in, &q);
    q.g = og[0] ? og[0]->data : NULL;
    q.mean = out[1]->data;
    q.var = out[2]->data;
    q.dx = ig[0] ? ig[0]->data : NULL;
    q.dg = ig[1] ? ig[1]->data : NULL;
    q.db = ig[2] ? ig[2]->data : NULL;
    q.dxadd = req[0] == SG_REQ_ADD;
    q.dgadd = req[1] == SG_REQ_ADD;
    q.dbadd = req[2] == SG_REQ_ADD;
    sg__par_range(q.C, 4.0 * (double)in[0]->size, sg__bn_bwd_range, &q);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Dropout: outputs output and mask (1 visible).
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_dropout[] = {
    {"p", SG__P_FLOAT, "0.5", NULL, SG__PF_UNIT},
    {"mode", SG__P_ENUM, "training", "always|training", 0},
    {"axes", SG__P_TUPLE, "()", NULL, 0},
    {"cudnn_off", SG__P_BOOL, "False", NULL, SG__PF_OPT},
};
SG__INTERNAL int sg__dropout_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg__pval *ax = sg__param(n, "axes");
    sg_shape d = in[0];
    int i;
    if (d.ndim < 0) return SG_OK;
    out[0] = d;
    for (i = 0; i < ax->ndim; i++) {
        int a = sg__axis(ax->t[i], d.ndim);
        if (a < 0) return sg__fail(c, n, "axes %s out of range for %d-D data", ax->s, d.ndim);
        d.dims[a] = 1;
    }
    out[1] = d;
    return SG_OK;
}

/* Kernels. In training (or mode always) each mask element is 1/(1-p) with
 * probability 1-p, else 0, drawn from the executor's generator (one float
 * uniform per mask element whatever the dtype, so float32 and float64 executors
 * seeded alike draw the same mask); the mask
 * (hidden output 1) has 1s along `axes` and is broadcast. Otherwise y = x and
 * the mask is 1. p = 1 gives a zero mask (MXNet 1.9.1 gives NaN, 0 * 1/0). */
SG__INTERNAL int sg__dropout_active(sg__kctx *k, const sg__node *n) {
    return k->is_train || SG__PI(n, "mode") == 0; /* 0: always */
}
/* Index into the mask m of element i of data d (same ndim, mask dims 1 or equal). */
SG__INTERNAL int64_t sg__bcast_index(const sg_shape *d, const sg_shape *m, int64_t i) {
    int64_t mi = 0, stride = 1;
    int a;
    for (a = d->ndim - 1; a >= 0; a--) {
        int64_t idx = i % d->dims[a];
        i /= d->dims[a];
        if (m->dims[a] != 1) mi += idx * stride;
        stride *= m->dims[a];
    }
    return mi;
}
#define SG__DROPOUT_KERNELS(T, S)                                                                                     \
    SG__INTERNAL void sg__dropout_fwd_##S(const T *x, T *y, T *mask, const sg_shape *ds, const sg_shape *ms,           \
                                          int64_t n, int64_t nm, int active, double pkeep, sg_rng *r) {                \
        int64_t i;                                                                                                     \
        if (!active) {                                                                                                 \
            if (x != y) memcpy(y, x, (size_t)n * sizeof(T));                                                           \
            for (i = 0; i < nm; i++) mask[i] = (T)1;                                                                   \
            return;                                                                                                    \
        }                                                                                                              \
        for (i = 0; i < nm; i++) mask[i] = (double)sg__rng_uniformf(r) < pkeep ? (T)(1.0 / pkeep) : (T)0;                        \
        if (nm == n) for (i = 0; i < n; i++) y[i] = x[i] * mask[i];                                                    \
        else for (i = 0; i < n; i++) y[i] = x[i] * mask[sg__bcast_index(ds, ms, i)];                                   \
    }                                                                                                                  \
    SG__INTERNAL void sg__dropout_bwd_##S(const T *g, const T *mask, T *dx, const sg_shape *ds, const sg_shape *ms,    \
                                          int64_t n, int64_t nm, int active, int add) {                                \
        int64_t i;                                                                                                     \
        if (!active) SG__EWB(T, add, dx, g, n, (T)1);                                                                     \
        else if (nm == n) SG__EWB(T, add, dx, g, n, mask[i]);                                                             \
        else SG__EWB(T, add, dx, g, n, mask[sg__bcast_index(ds, ms, i)]);                                                 \
    }
SG__DROPOUT_KERNELS(float, f)
SG__DROPOUT_KERNELS(double, d)
#undef SG__DROPOUT_KERNELS
SG__INTERNAL int sg__dropout_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int st, act = sg__dropout_active(k, n);
    double pkeep = 1.0 - SG__PF(n, "p");
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    if (in[0]->dtype == SG_FLOAT64)
        sg__dropout_fwd_d((const double *)in[0]->data, (double *)out[0]->data, (double *)out[1]->data, &in[0]->shape,
                          &out[1]->shape, in[0]->size, out[1]->size, act, pkeep, k->rng);
    else
        sg__dropout_fwd_f(SG__F(in[0]), SG__F(out[0]), SG__F(out[1]), &in[0]->shape, &out[1]->shape, in[0]->size,
                          out[1]->size, act, pkeep, k->rng);
    return SG_OK;
}
SG__INTERNAL int sg__dropout_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                 sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int st, act = sg__dropout_active(k, n);
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sg__nn_no_og(n, ig, req);
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    if (in[0]->dtype == SG_FLOAT64)
        sg__dropout_bwd_d((const double *)og[0]->data, (const double *)out[1]->data, (double *)ig[0]->data,
                          &in[0]->shape, &out[1]->shape, in[0]->size, out[1]->size, act, req[0] == SG_REQ_ADD);
    else
        sg__dropout_bwd_f(SG__F(og[0]), SG__F(out[1]), SG__F(ig[0]), &in[0]->shape, &out[1]->shape, in[0]->size,
                          out[1]->size, act, req[0] == SG_REQ_ADD);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Flatten (alias flatten): (d0, d1, ...) -> (d0, prod(rest)).
 * ------------------------------------------------------------------------- */
SG__INTERNAL int sg__flatten_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg_shape *d = &in[0];
    if (!sg__shape_known(d)) return SG_OK;
    if (d->ndim == 0) return sg__fail(c, n, "cannot flatten a 0-d array");
    return sg__out_assign(c, n, out, 0, sg__shp(2, d->dims[0], sg__known_prod(d, 1, d->ndim)));
}
/* The copy kernels of Flatten, Reshape, expand_dims, _copy and BlockGrad: y = x
 * (nothing to do in place), dx = g; BlockGrad's gradient is zero. Any dtype. */
SG__INTERNAL int sg__copy_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    (void)k; (void)n;
    if (out[0]->data != in[0]->data && out[0]->nbytes) memmove(out[0]->data, in[0]->data, out[0]->nbytes);
    return SG_OK;
}
SG__INTERNAL int sg__copy_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                              sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    (void)n; (void)in; (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) { sg__zero_ig(ig, req, 1); return SG_OK; }
    if (og[0]->dtype != ig[0]->dtype) return sg__dtype_err(k, n, og[0]->dtype);
    sg__put_n(ig[0]->dtype, ig[0]->data, 0, og[0]->data, 0, ig[0]->size, req[0]);
    return SG_OK;
}
SG__INTERNAL int sg__blockgrad_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                   sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    (void)k; (void)n; (void)og; (void)in; (void)out;
    sg__zero_ig(ig, req, 1);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Reshape (alias reshape): codes 0, -1, -2, -3, -4 and reverse; target_shape.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_reshape[] = {
    {"shape", SG__P_TUPLE, "()", NULL, 0},
    {"reverse", SG__P_BOOL, "False", NULL, 0},
    {"target_shape", SG__P_TUPLE, "()", NULL, 0},
    {"keep_highest", SG__P_BOOL, "False", NULL, 0},
};
SG__INTERNAL void sg__rev64(int64_t *v, int n) {
    int i;
    for (i = 0; i < n / 2; i++) { int64_t t = v[i]; v[i] = v[n - 1 - i]; v[n - 1 - i] = t; }
}
/* ReverseReshapeInferShape: fill a single unknown dim of *in from a known out. */
SG__INTERNAL void sg__reshape_back(sg_shape *in, const sg_shape *out) {
    int i, zero = -1;
    int64_t prod = 1, osz;
    if (sg__shape_known(in) || !sg__shape_known(out) || in->ndim < 0) return;
    for (i = 0; i < in->ndim; i++) {
        if (in->dims[i] < 0) { if (zero >= 0) return; zero = i; }
        else prod *= in->dims[i];
    }
    osz = sg__known_prod(out, 0, out->ndim);
    if (zero >= 0 && prod > 0) in->dims[zero] = osz / prod;
}
SG__INTERNAL int sg__reshape_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg__pval *sp = sg__param(n, "shape"), *tp = sg__param(n, "target_shape");
    int rev = (int)SG__PI(n, "reverse"), st;
    sg_shape d = in[0], o = sg__shape_unknown();
    char a[256], b[256];
    if (d.ndim < 0) return SG_OK;
    if (sp->ndim > 0) {
        int64_t dv[SG_MAX_NDIM], pv[SG_MAX_NDIM], tmp[SG_MAX_NDIM * 2];
        int nd = d.ndim, np = sp->ndim, nt = 0, src = 0, inf = -1, i;
        for (i = 0; i < nd; i++) dv[i] = d.dims[i];
        for (i = 0; i < np; i++) pv[i] = sp->t[i];
        if (rev) { sg__rev64(dv, nd); sg__rev64(pv, np); }
        for (i = 0; i < np; i++) {
            int64_t pd = pv[i];
            if (nt >= SG_MAX_NDIM) return sg__fail(c, n, "Reshape: target has more than %d dims", SG_MAX_NDIM);
            if (pd == 0) {
                if (src >= nd) return sg__fail(c, n, "Reshape %s: not enough source dims in %s", sp->s, sg_shape_str(&d, a, sizeof a));
                tmp[nt++] = dv[src++];
            } else if (pd == -1) {
                if (inf >= 0) return sg__fail(c, n, "One and only one dim can be inferred (shape %s)", sp->s);
                inf = nt;
                tmp[nt++] = 1;
                src++;
            } else if (pd == -2) {
                while (src < nd && nt < SG_MAX_NDIM) tmp[nt++] = dv[src++];
            } else if (pd == -3) {
                int64_t d1, d2;
                if (src + 1 >= nd) return sg__fail(c, n, "Reshape %s: -3 needs two source dims", sp->s);
                d1 = dv[src++];
                d2 = dv[src++];
                tmp[nt++] = (d1 < 0 || d2 < 0 || (d2 && d1 > INT64_MAX / d2)) ? -1 : d1 * d2;
            } else if (pd == -4) {
                int64_t d0, d1, d2;
                if (i + 2 >= np) return sg__fail(c, n, "Reshape %s: -4 needs two more codes", sp->s);
                if (src >= nd) return sg__fail(c, n, "Reshape %s: not enough source dims", sp->s);
                d0 = dv[src++];
                d1 = pv[++i];
                d2 = pv[++i];
                if (d1 == -1 && d2 == -1) return sg__fail(c, n, "Split dims cannot both be -1.");
                if (d1 == -1 && d0 >= 0) d1 = d2 ? d0 / d2 : 0;
                if (d2 == -1 && d0 >= 0) d2 = d1 ? d0 / d1 : 0;
                if (!(d1 * d2 == d0 || d0 == -1))
                    return sg__fail(c, n, "Split dims %lld, %lld do not divide original dim %lld", (long long)d1,
                                    (long long)d2, (long long)d0);
                if (nt + 2 > SG_MAX_NDIM) return sg__fail(c, n, "Reshape: target has more than %d dims", SG_MAX_NDIM);
                tmp[nt++] = d1;
                tmp[nt++] = d2;
            } else if (pd > 0) {
                tmp[nt++] = pd;
                src++;
            } else {
                return sg__fail(c, n, "Reshape: invalid shape code %lld in %s", (long long)pd, sp->s);
            }
        }
        if (inf >= 0) {
            if (sg__shape_known(&d)) {
                int64_t ns = 1;
                for (i = 0; i < nt; i++) {
                    if (tmp[i] < 0 || (tmp[i] && ns > INT64_MAX / tmp[i])) { ns = 0; break; }
                    ns *= tmp[i];
                }
                if (ns == 0) return sg__fail(c, n, "Reshape %s: cannot infer a dim next to a zero-size dim", sp->s);
                tmp[inf] = sg__known_prod(&d, 0, d.ndim) / ns;
            } else tmp[inf] = -1;
        }
        if (rev) sg__rev64(tmp, nt);
        o = sg__shape_make(nt, tmp);
    } else if (tp->ndim > 0) {
        int i, neg = 0, infi = 0, start = SG__PI(n, "keep_highest") ? 1 : 0;
        o.ndim = tp->ndim;
        for (i = 0; i < tp->ndim; i++) o.dims[i] = tp->t[i];
        if (start) o.dims[0] = d.dims[0];
        for (i = start; i < o.ndim; i++) if (o.dims[i] == 0) { neg++; infi = i; }
        if (neg == 1) {
            int64_t os = 1, ds = sg__known_prod(&d, 0, d.ndim);
            o.dims[infi] = 1;
            for (i = 0; i < o.ndim; i++) os *= o.dims[i];
            o.dims[infi] = (ds >= 0 && os > 0) ? ds / os : -1;
        }
    } else {
        sg__reshape_back(&in[0], &out[0]);
        return SG_OK;
    }
    sg__reshape_back(&in[0], &o);
    /* MXNet 1.9.1 compiles this size check out (#if 0); we keep it: a Reshape that
     * changes the element count is an error (spec section 4). */
    if (sg__shape_known(&in[0]) && sg__shape_known(&o) &&
        sg__known_prod(&in[0], 0, in[0].ndim) != sg__known_prod(&o, 0, o.ndim))
        return sg__fail(c, n, "Target shape size is different to source. Target: %s Source: %s",
                        sg_shape_str(&o, a, sizeof a), sg_shape_str(&in[0], b, sizeof b));
    if ((st = sg__out_assign(c, n, out, 0, o)) != SG_OK) return st;
    sg__reshape_back(&in[0], &out[0]);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * transpose / expand_dims / broadcast_to
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_transpose[] = {{"axes", SG__P_TUPLE, "()", NULL, 0}};
SG__INTERNAL int sg__transpose_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg__pval *ax = sg__param(n, "axes");
    sg_shape *s = &in[0], *o = &out[0], get, ret;
    int nd, i, st;
    if (s->ndim < 0 && o->ndim < 0) return SG_OK;
    if (s->ndim >= 0 && o->ndim >= 0 && s->ndim != o->ndim) return sg__shape_err(c, n, 0, 0, o, s);
    nd = s->ndim >= 0 ? s->ndim : o->ndim;
    if (ax->none) /* MXNet 1.9.1: an unknown TShape, which its shape check rejects */
        return sg__fail(c, n, "axes None is not a permutation of the %d axes", nd);
    get = sg__shape_unknown(); get.ndim = nd;
    ret = sg__shape_unknown(); ret.ndim = nd;
    for (i = 0; i < nd; i++) get.dims[i] = ret.dims[i] = -1;
    if (ax->ndim == 0) {
        for (i = 0; s->ndim >= 0 && i < nd; i++) ret.dims[i] = s->dims[nd - 1 - i];
        for (i = 0; o->ndim >= 0 && i < nd; i++) get.dims[nd - 1 - i] = o->dims[i];
    } else {
        int seen[SG_MAX_NDIM] = {0};
        if (ax->ndim != nd) return sg__fail(c, n, "axes %s do not match a %d-D input", ax->s, nd);
        for (i = 0; i < nd; i++) {
            if (ax->t[i] < 0 || ax->t[i] >= nd || seen[ax->t[i]]) return sg__fail(c, n, "invalid axes %s for a %d-D input", ax->s, nd);
            seen[ax->t[i]] = 1;
        }
        for (i = 0; s->ndim >= 0 && i < nd; i++) ret.dims[i] = s->dims[ax->t[i]];
        for (i = 0; o->ndim >= 0 && i < nd; i++) get.dims[ax->t[i]] = o->dims[i];
    }
    if ((st = sg__in_assign(c, n, in, 0, get)) != SG_OK) return st;
    return sg__out_assign(c, n, out, 0, ret);
}
/* Strided copies for transpose and broadcast_to, over a walk whose operand 0
 * indexes the source and operand 1 the destination of gather (any dtype):
 * dst[o1 + j*s1] = src[o0 + j*s0]; scatter_add: d[o0 + j*s0] += g[o1 + j*s1]. */
#define SG__GATHER_DEF(S, T)                                                                                       \
    SG__INTERNAL void sg__gather_##S(sg__walk *w, const void *src, void *dst) {                                    \
        const T *x = (const T *)src;                                                                               \
        T *y = (T *)dst;                                                                                           \
        int64_t r, j;                                                                                              \
        SG__WALK(*w, r) {                                                                                          \
            const T *xp = x + w->off[0];                                                                           \
            T *yp = y + w->off[1];                                                                                 \
            int64_t s0 = w->s[0], s1 = w->s[1];                                                                    \
            if (s1 == 1) for (j = 0; j < w->len; j++) yp[j] = xp[j * s0];                                          \
            else for (j = 0; j < w->len; j++) yp[j * s1] = xp[j * s0];                                             \
        }                                                                                                          \
    }
SG__GATHER_DEF(1, uint8_t)
SG__GATHER_DEF(2, uint16_t)
SG__GATHER_DEF(4, uint32_t)
SG__GATHER_DEF(8, uint64_t)
SG__INTERNAL void sg__gather(sg__walk *w, int dtype, const void *src, void *dst) {
    switch (sg_dtype_size(dtype)) {
    case 1: sg__gather_1(w, src, dst); break;
    case 2: sg__gather_2(w, src, dst); break;
    case 4: sg__gather_4(w, src, dst); break;
    default: sg__gather_8(w, src, dst); break;
    }
}
SG__INTERNAL void sg__scatter_add(sg__walk *w, int dtype, const void *g, void *d) {
    int64_t r, j;
    SG__WALK(*w, r) {
        int64_t s0 = w->s[0], s1 = w->s[1], o0 = w->off[0], o1 = w->off[1];
        if (dtype == SG_FLOAT32) {
            float *dp = (float *)d + o0;
            const float *gp = (const float *)g + o1;
            for (j = 0; j < w->len; j++) dp[j * s0] += gp[j * s1];
        } else if (dtype == SG_FLOAT64) {
            double *dp = (double *)d + o0;
            const double *gp = (const double *)g + o1;
            for (j = 0; j < w->len; j++) dp[j * s0] += gp[j * s1];
        } else {
            for (j = 0; j < w->len; j++)
                sg__store(d, dtype, o0 + j * s0, sg__load(d, dtype, o0 + j * s0) + sg__load(g, dtype, o1 + j * s1));
        }
    }
}
/* The transpose walk over the output: output dim i is input dim axes[i]
 * (reversed by default). Operand 0 the input, 1 the output; swapped when swap. */
SG__INTERNAL int sg__transpose_walk(sg__kctx *k, const sg__node *n, const sg_ndarray *x, int swap, sg__walk *w) {
    const sg__pval *ax = sg__param(n, "axes");
    sg_shape s = sg__kshape(x);
    int64_t ist[SG_MAX_NDIM], m = 1;
    int i, seen[SG_MAX_NDIM];
    if (ax->ndim && ax->ndim != s.ndim)
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (transpose): axes %s do not match a %d-D input", n->name,
                          ax->s, s.ndim);
    sg__cstrides(&s, ist);
    memset(seen, 0, sizeof seen);
    w->nd = s.ndim;
    for (i = 0; i < s.ndim; i++) {
        int a = ax->ndim ? (int)ax->t[i] : s.ndim - 1 - i;
        if (ax->ndim && (ax->t[i] < 0 || ax->t[i] >= s.ndim || seen[a]))
            return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (transpose): invalid axes %s", n->name, ax->s);
        seen[a] = 1;
        w->dims[i] = s.dims[a];
        w->st[swap][i] = ist[a];
        w->st[2][i] = 0;
    }
    for (i = s.ndim - 1; i >= 0; i--) { w->st[1 - swap][i] = m; m *= w->dims[i]; }
    sg__walk_start(w);
    return SG_OK;
}
SG__INTERNAL int sg__transpose_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg__walk w;
    int st;
    if ((st = sg__transpose_walk(k, n, in[0], 0, &w)) != SG_OK) return st;
    sg__gather(&w, out[0]->dtype, in[0]->data, out[0]->data);
    return SG_OK;
}
/* The inverse permutation: each input element gets exactly one output element. */
SG__INTERNAL int sg__transpose_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                   sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg__walk w;
    int st, add = req[0] == SG_REQ_ADD;
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) { sg__zero_ig(ig, req, 1); return SG_OK; }
    if (og[0]->dtype != ig[0]->dtype) return sg__dtype_err(k, n, og[0]->dtype);
    if ((st = sg__transpose_walk(k, n, in[0], !add, &w)) != SG_OK) return st;
    if (add) sg__scatter_add(&w, ig[0]->dtype, og[0]->data, ig[0]->data);
    else sg__gather(&w, ig[0]->dtype, og[0]->data, ig[0]->data);
    return SG_OK;
}
static const sg__pdef sg__p_expand_dims[] = {{"axis", SG__P_INT, NULL, NULL, 0}};
SG__INTERNAL int sg__expand_dims_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape *is = &in[0], *os = &out[0], r;
    int indim, unk = 0, axis, i, st;
    if (is->ndim < 0 && os->ndim < 0) return SG_OK;
    indim = is->ndim;
    if (indim < 0) { indim = os->ndim - 1; unk = 1; }
    axis = (int)SG__PI(n, "axis");
    if (axis < 0) axis += indim + 1;
    if (axis < 0 || axis > indim || indim + 1 > SG_MAX_NDIM)
        return sg__fail(c, n, "axis %lld is out of range for %dd tensor", SG__PI(n, "axis"), indim);
    r = sg__shape_unknown(); r.ndim = indim + 1;
    for (i = 0; i < axis; i++) r.dims[i] = unk ? -1 : is->dims[i];
    r.dims[axis] = 1;
    for (i = axis + 1; i < indim + 1; i++) r.dims[i] = unk ? -1 : is->dims[i - 1];
    if ((st = sg__out_assign(c, n, out, 0, r)) != SG_OK) return st;
    r = sg__shape_unknown(); r.ndim = indim;
    for (i = 0; i < indim; i++) r.dims[i] = -1;
    for (i = 0; i < axis; i++) r.dims[i] = os->dims[i];
    for (i = axis + 1; i < indim + 1; i++) r.dims[i - 1] = os->dims[i];
    return sg__in_assign(c, n, in, 0, r);
}
static const sg__pdef sg__p_broadcast_to[] = {{"shape", SG__P_TUPLE, "()", NULL, 0}};
SG__INTERNAL int sg__broadcast_to_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg__pval *sp = sg__param(n, "shape");
    sg_shape *is = &in[0], o;
    char a[256];
    int i;
    if (is->ndim < 0) return SG_OK;
    if (is->ndim != sp->ndim) return sg__fail(c, n, "Operand of shape %s cannot be broadcasted to %s", sg_shape_str(is, a, sizeof a), sp->s);
    o = sg__shape_unknown(); o.ndim = sp->ndim;
    for (i = 0; i < sp->ndim; i++) {
        o.dims[i] = sp->t[i];
        if (sp->t[i] != 0) {
            if (!(is->dims[i] == sp->t[i] || is->dims[i] == 1))
                return sg__fail(c, n, "Array cannot be broadcasted from %s to %s", sg_shape_str(is, a, sizeof a), sp->s);
        } else o.dims[i] = is->dims[i];
    }
    return sg__out_assign(c, n, out, 0, o);
}
/* The walk over the output: operand 0 the input (stride 0 on broadcast axes), 1 the output. */
SG__INTERNAL void sg__broadcast_to_walk(const sg_ndarray *x, const sg_ndarray *y, sg__walk *w) {
    sg_shape is = sg__kshape(x), os = sg__kshape(y);
    int64_t mi = 1, mo = 1;
    int i;
    w->nd = os.ndim;
    for (i = os.ndim - 1; i >= 0; i--) {
        int64_t d = i < is.ndim ? is.dims[i] : 1;
        w->dims[i] = os.dims[i];
        w->st[0][i] = (d == 1 && os.dims[i] != 1) ? 0 : mi;
        w->st[1][i] = mo;
        w->st[2][i] = 0;
        mi *= d;
        mo *= os.dims[i];
    }
    sg__walk_start(w);
}
SG__INTERNAL int sg__broadcast_to_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg__walk w;
    (void)k; (void)n;
    sg__broadcast_to_walk(in[0], out[0], &w);
    sg__gather(&w, out[0]->dtype, in[0]->data, out[0]->data);
    return SG_OK;
}
/* dx sums g over the broadcast axes. */
SG__INTERNAL int sg__broadcast_to_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                      sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg__walk w;
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) { sg__zero_ig(ig, req, 1); return SG_OK; }
    if (og[0]->dtype != ig[0]->dtype) return sg__dtype_err(k, n, og[0]->dtype);
    if (ig[0]->size == og[0]->size) { /* nothing broadcast */
        sg__put_n(ig[0]->dtype, ig[0]->data, 0, og[0]->data, 0, ig[0]->size, req[0]);
        return SG_OK;
    }
    if (req[0] != SG_REQ_ADD && ig[0]->nbytes) memset(ig[0]->data, 0, ig[0]->nbytes);
    sg__broadcast_to_walk(in[0], og[0], &w);
    sg__scatter_add(&w, ig[0]->dtype, og[0]->data, ig[0]->data);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Concat (alias concat): inputs arg0..argN-1.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_concat[] = {
    {"num_args", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"dim", SG__P_INT, "1", NULL, 0},
};
SG__INTERNAL int sg__concat_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    int dim = (int)SG__PI(n, "dim"), axis = -1, i, unk = 0;
    int64_t size = 0;
    sg_shape ds = sg__shape_unknown(), t;
    char a[256], b[256];
    for (i = 0; i < c->nin; i++) {
        t = in[i];
        if (t.ndim > 0) {
            axis = sg__axis(dim, t.ndim);
            if (axis < 0) return sg__fail(c, n, "axis %d exceeds the input dimension of %d", dim, t.ndim);
            if (t.dims[axis] < 0) unk = 1; else size += t.dims[axis];
            t.dims[axis] = -1;
            sg__shape_merge(&ds, &t);
        }
    }
    t = out[0];
    if (t.ndim > 0) {
        axis = sg__axis(dim, t.ndim);
        if (axis < 0) return sg__fail(c, n, "axis %d exceeds the input dimension of %d", dim, t.ndim);
        t.dims[axis] = -1;
        sg__shape_merge(&ds, &t);
    }
    if (ds.ndim < 0) return SG_OK;
    if (ds.ndim == 0) return sg__fail(c, n, "zero-dimensional arrays cannot be concatenated");
    for (i = 0; i < c->nin; i++)
        if (!sg__shape_merge(&in[i], &ds))
            return sg__fail(c, n, "input %d (arg%d): Incompatible input shape: expected %s, got %s", i, i,
                            sg_shape_str(&ds, a, sizeof a), sg_shape_str(&in[i], b, sizeof b));
    if (!unk) ds.dims[axis] = size;
    if (!sg__shape_merge(&out[0], &ds))
        return sg__fail(c, n, "Incompatible output shape: expected %s, got %s", sg_shape_str(&ds, a, sizeof a),
                        sg_shape_str(&out[0], b, sizeof b));
    return SG_OK;
}
/* Viewed as (outer, rest): each input is a column block of each output row. Any dtype. */
SG__INTERNAL int sg__concat_axis(sg__kctx *k, const sg__node *n, const sg_ndarray *o, int64_t *outer, int64_t *row) {
    sg_shape s = sg__kshape(o);
    int axis = sg__axis(SG__PI(n, "dim"), s.ndim), i;
    if (axis < 0) return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (Concat): dim %lld out of range", n->name, SG__PI(n, "dim"));
    *outer = 1;
    for (i = 0; i < axis; i++) *outer *= s.dims[i];
    *row = 1;
    for (i = axis; i < s.ndim; i++) *row *= s.dims[i];
    return SG_OK;
}
SG__INTERNAL int sg__concat_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, row, off = 0, o;
    size_t es = sg_dtype_size(out[0]->dtype);
    int i, st;
    if ((st = sg__concat_axis(k, n, out[0], &outer, &row)) != SG_OK) return st;
    for (i = 0; i < n->nin; i++) {
        int64_t w = outer ? in[i]->size / outer : 0;
        if (in[i]->dtype != out[0]->dtype) return sg__dtype_err(k, n, in[i]->dtype);
        for (o = 0; o < outer && w; o++)
            memcpy((char *)out[0]->data + (size_t)(o * row + off) * es, (const char *)in[i]->data + (size_t)(o * w) * es,
                   (size_t)w * es);
        off += w;
    }
    return SG_OK;
}
/* Each input gets its block of g (inputs in order: a repeated input accumulates). */
SG__INTERNAL int sg__concat_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t outer, row, off = 0, o;
    int i, st;
    if (!og[0]) { sg__zero_ig(ig, req, n->nin); return SG_OK; }
    if ((st = sg__concat_axis(k, n, out[0], &outer, &row)) != SG_OK) return st;
    for (i = 0; i < n->nin; i++) {
        int64_t w = outer ? in[i]->size / outer : 0;
        if (ig[i]) {
            if (ig[i]->dtype != og[0]->dtype) return sg__dtype_err(k, n, ig[i]->dtype);
            for (o = 0; o < outer; o++) sg__put_n(ig[i]->dtype, ig[i]->data, o * w, og[0]->data, o * row + off, w, req[i]);
        }
        off += w;
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * SliceChannel (alias split): num_outputs outputs, all visible.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_slicechannel[] = {
    {"num_outputs", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"axis", SG__P_INT, "1", NULL, 0},
    {"squeeze_axis", SG__P_BOOL, "False", NULL, 0},
};
SG__INTERNAL int sg__slicechannel_nout(const sg__node *n) { return (int)SG__PI(n, "num_outputs"); }
SG__INTERNAL int sg__slicechannel_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    int64_t no = SG__PI(n, "num_outputs");
    int sq = (int)SG__PI(n, "squeeze_axis"), ax, i, k, st;
    sg_shape d = in[0], is = in[0];
    char a[256];
    if (d.ndim < 0) return SG_OK;
    ax = sg__axis(SG__PI(n, "axis"), d.ndim);
    if (ax < 0) return sg__fail(c, n, "axis %lld out of range for %s", SG__PI(n, "axis"), sg_shape_str(&d, a, sizeof a));
    if (d.dims[ax] % no != 0)
        return sg__fail(c, n, "You are trying to split the %d-th axis of input tensor with shape %s into num_outputs=%lld evenly sized chunks, but this is not possible because %lld does not evenly divide %lld",
                        ax, sg_shape_str(&d, a, sizeof a), (long long)no, (long long)no, (long long)d.dims[ax]);
    if (sq && is.dims[ax] != -1 && is.dims[ax] != no)
        return sg__fail(c, n, "If squeeze axis is True, the size of the sliced axis must be the same as num_outputs. Input shape=%s, axis=%d, num_outputs=%lld.",
                        sg_shape_str(&is, a, sizeof a), ax, (long long)no);
    if (d.dims[ax] >= 0) d.dims[ax] /= no;
    if (sq && (d.dims[ax] == 1 || is.dims[ax] < 0)) {
        for (k = ax; k < d.ndim - 1; k++) d.dims[k] = d.dims[k + 1];
        d.ndim--;
    }
    for (i = 0; i < no; i++) {
        sg_shape bc = is;
        if ((st = sg__out_assign(c, n, out, i, d)) != SG_OK) return st;
        if (sq && d.ndim == is.ndim - 1) {
            for (k = 0; k < ax; k++) bc.dims[k] = out[i].dims[k];
            bc.dims[ax] = no;
            for (k = ax + 1; k < is.ndim; k++) bc.dims[k] = out[i].dims[k - 1];
        } else {
            for (k = 0; k < is.ndim; k++) {
                bc.dims[k] = out[i].dims[k];
                if (k == ax && bc.dims[k] >= 0) bc.dims[k] *= no;
            }
        }
        if ((st = sg__in_assign(c, n, in, 0, bc)) != SG_OK) return st;
    }
    return SG_OK;
}
/* The input viewed as (outer, D, inner); output j is rows [j*D/num, (j+1)*D/num). */
SG__INTERNAL int sg__slicechannel_dims(sg__kctx *k, const sg__node *n, const sg_ndarray *x, int64_t *outer, int64_t *D,
                                       int64_t *inner) {
    sg_shape s = sg__kshape(x);
    int axis = sg__axis(SG__PI(n, "axis"), s.ndim), i;
    if (axis < 0) return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (SliceChannel): axis %lld out of range", n->name, SG__PI(n, "axis"));
    *outer = 1;
    *inner = 1;
    for (i = 0; i < axis; i++) *outer *= s.dims[i];
    for (i = axis + 1; i < s.ndim; i++) *inner *= s.dims[i];
    *D = s.dims[axis];
    return SG_OK;
}
SG__INTERNAL int sg__slicechannel_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, D, inner, num = SG__PI(n, "num_outputs"), c, o, j;
    size_t es = sg_dtype_size(in[0]->dtype);
    int st;
    if ((st = sg__slicechannel_dims(k, n, in[0], &outer, &D, &inner)) != SG_OK) return st;
    c = D / num;
    for (j = 0; j < num; j++) {
        if (out[j]->dtype != in[0]->dtype) return sg__dtype_err(k, n, out[j]->dtype);
        for (o = 0; o < outer && c * inner > 0; o++)
            memcpy((char *)out[j]->data + (size_t)(o * c * inner) * es,
                   (const char *)in[0]->data + (size_t)((o * D + j * c) * inner) * es, (size_t)(c * inner) * es);
    }
    return SG_OK;
}
/* dx concatenates the output gradients; a missing one (NULL) counts as zeros. */
SG__INTERNAL int sg__slicechannel_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                      sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t outer, D, inner, num = SG__PI(n, "num_outputs"), c, o, j;
    sg_ndarray *d = ig[0];
    int st;
    (void)out;
    if (!d) return SG_OK;
    if ((st = sg__slicechannel_dims(k, n, in[0], &outer, &D, &inner)) != SG_OK) return st;
    c = D / num;
    for (j = 0; j < num; j++) {
        if (og[j] && og[j]->dtype != d->dtype) return sg__dtype_err(k, n, og[j]->dtype);
        for (o = 0; o < outer; o++) {
            int64_t at = (o * D + j * c) * inner;
            if (og[j]) sg__put_n(d->dtype, d->data, at, og[j]->data, o * c * inner, c * inner, req[0]);
            else if (req[0] != SG_REQ_ADD) sg__zero_n(d->dtype, d->data, at, c * inner);
        }
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * slice_axis
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_slice_axis[] = {
    {"axis", SG__P_INT, NULL, NULL, 0},
    {"begin", SG__P_INT, NULL, NULL, 0},
    {"end", SG__P_INT, NULL, NULL, SG__PF_OPT},
};
/* GetSliceAxisParams; returns SG_OK and axis/begin/end, or an error. */
SG__INTERNAL int sg__slice_axis_params(sg__infer *c, const sg__node *n, const sg_shape *s, int *axis, int64_t *b, int64_t *e) {
    const sg__pval *ep = sg__param(n, "end");
    int64_t size;
    *axis = (int)SG__PI(n, "axis");
    if (*axis < 0) *axis += s->ndim;
    if (*axis < 0 || *axis >= s->ndim)
        return sg__fail(c, n, "Transformed axis must be smaller than the source ndim and larger than zero! Recieved axis=%lld, src_ndim=%d",
                        SG__PI(n, "axis"), s->ndim);
    size = s->dims[*axis];
    *b = SG__PI(n, "begin");
    *e = -1;
    if (*b < 0) *b += size;
    if (size > 0) {
        if (ep->none) *e = size;
        else { *e = ep->i; if (*e < 0) *e += size; }
        if (*e > size) return sg__fail(c, n, "Invalid end for end=%lld as axis_size is %lld", (long long)*e, (long long)size);
        if (!(*b < *e)) return sg__fail(c, n, "Invalid begin, end, get begin=%lld, end=%s", SG__PI(n, "begin"), ep->s);
    } else {
        *b = 0;
        *e = 0;
    }
    if (*e < 0) return sg__fail(c, n, "Invalid begin, end, get begin=%lld, end=%s", SG__PI(n, "begin"), ep->s);
    if (*b < 0) return sg__fail(c, n, "Invalid begin for begin=%lld", SG__PI(n, "begin"));
    return SG_OK;
}
SG__INTERNAL int sg__slice_axis_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape *is = &in[0], o;
    int axis = 0, st;
    int64_t b = 0, e = 0;
    if (is->ndim < 0) return SG_OK;
    if ((st = sg__slice_axis_params(c, n, is, &axis, &b, &e)) != SG_OK) return st;
    if (is->dims[axis] < 0) return sg__out_assign(c, n, out, 0, *is);
    o = *is;
    o.dims[axis] = e - b;
    return sg__out_assign(c, n, out, 0, o);
}
/* The input viewed as (outer, D, inner); the output is rows [begin, end). */
SG__INTERNAL int sg__slice_axis_dims(sg__kctx *k, const sg__node *n, const sg_ndarray *x, int64_t *outer, int64_t *D,
                                     int64_t *inner, int64_t *b, int64_t *e) {
    sg__infer c;
    sg_shape s = sg__kshape(x);
    int axis, i, st;
    c.g = k->g;
    c.nin = 1;
    c.nout = 1;
    if ((st = sg__slice_axis_params(&c, n, &s, &axis, b, e)) != SG_OK) return st;
    *outer = 1;
    *inner = 1;
    for (i = 0; i < axis; i++) *outer *= s.dims[i];
    for (i = axis + 1; i < s.ndim; i++) *inner *= s.dims[i];
    *D = s.dims[axis];
    return SG_OK;
}
SG__INTERNAL int sg__slice_axis_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t outer, D, inner, b, e, o, len;
    size_t es = sg_dtype_size(in[0]->dtype);
    int st;
    if ((st = sg__slice_axis_dims(k, n, in[0], &outer, &D, &inner, &b, &e)) != SG_OK) return st;
    if (out[0]->dtype != in[0]->dtype) return sg__dtype_err(k, n, out[0]->dtype);
    len = (e - b) * inner;
    for (o = 0; o < outer && len; o++)
        memcpy((char *)out[0]->data + (size_t)(o * len) * es, (const char *)in[0]->data + (size_t)((o * D + b) * inner) * es,
               (size_t)len * es);
    return SG_OK;
}
/* dx = g inside the slice, 0 outside. */
SG__INTERNAL int sg__slice_axis_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                    sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t outer, D, inner, b, e, o, len;
    sg_ndarray *d = ig[0];
    int st;
    (void)out;
    if (!d) return SG_OK;
    if (req[0] != SG_REQ_ADD && d->nbytes) memset(d->data, 0, d->nbytes);
    if (!og[0]) return SG_OK;
    if (og[0]->dtype != d->dtype) return sg__dtype_err(k, n, og[0]->dtype);
    if ((st = sg__slice_axis_dims(k, n, in[0], &outer, &D, &inner, &b, &e)) != SG_OK) return st;
    len = (e - b) * inner;
    for (o = 0; o < outer; o++) sg__put_n(d->dtype, d->data, (o * D + b) * inner, og[0]->data, o * len, len, req[0]);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * sum / mean / max / min (aliases sum_axis, max_axis, min_axis)
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_reduce[] = {
    {"axis", SG__P_TUPLE, "None", NULL, SG__PF_OPT},
    {"keepdims", SG__P_BOOL, "False", NULL, 0},
    {"exclude", SG__P_BOOL, "False", NULL, 0},
};
/* ReduceAxesShapeImpl: the output shape and, in *mask, which input axes are reduced. */
SG__INTERNAL int sg__reduce_out(sg__infer *c, const sg__node *n, const sg_shape *is, sg_shape *o, int *mask) {
    const sg__pval *ap = sg__param(n, "axis");
    int keep = (int)SG__PI(n, "keepdims"), excl = (int)SG__PI(n, "exclude"), i, j, k, na;
    long long ax[SG_MAX_NDIM];
    char a[256];
    *o = sg__shape_unknown();
    if (ap->none || ap->ndim == 0) {
        for (i = 0; i < is->ndim; i++) mask[i] = 1;
        if (keep) { o->ndim = is->ndim; for (i = 0; i < is->ndim; i++) o->dims[i] = 1; }
        else { o->ndim = 1; o->dims[0] = 1; }
        return SG_OK;
    }
    na = ap->ndim;
    for (i = 0; i < na; i++) ax[i] = ap->t[i] < 0 ? ap->t[i] + is->ndim : ap->t[i];
    for (i = 1; i < na; i++) /* sort */
        for (j = i; j > 0 && ax[j - 1] > ax[j]; j--) { long long t = ax[j]; ax[j] = ax[j - 1]; ax[j - 1] = t; }
    for (i = 1; i < na; i++)
        if (ax[i - 1] >= ax[i]) return sg__fail(c, n, "Reduction axes have duplicates %s", ap->s);
    if (ax[na - 1] >= is->ndim || ax[0] < 0)
        return sg__fail(c, n, "Reduction axis %s Exceeds input dimensions %s", ap->s, sg_shape_str(is, a, sizeof a));
    for (i = 0; i < is->ndim; i++) mask[i] = excl;
    for (i = 0; i < na; i++) mask[ax[i]] = !excl;
    if (keep) {
        *o = *is;
        for (i = 0; i < is->ndim; i++) if (mask[i]) o->dims[i] = 1;
    } else {
        o->ndim = 0;
        for (i = 0, k = 0; i < is->ndim; i++) if (!mask[i]) o->dims[k++] = is->dims[i];
        o->ndim = k;
        if (k == 0) { o->ndim = 1; o->dims[0] = 1; }
    }
    return SG_OK;
}
SG__INTERNAL int sg__reduce_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape o;
    int mask[SG_MAX_NDIM], st;
    if (in[0].ndim < 0) return SG_OK;
    if ((st = sg__reduce_out(c, n, &in[0], &o, mask)) != SG_OK) return st;
    return sg__out_assign(c, n, out, 0, o);
}
SG__INTERNAL int sg__reduce_minmax_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    char a[256];
    if (!sg__shape_known(&in[0])) return SG_OK;
    if (sg__known_prod(&in[0], 0, in[0].ndim) <= 0)
        return sg__fail(c, n, "Reduction input's size should > 0 %s", sg_shape_str(&in[0], a, sizeof a));
    return sg__reduce_shape(c, n, in, out);
}
/* The walk over the input: operand 0 the input, 1 the output (stride 0 on the
 * reduced axes); *cnt = elements reduced into each output. */
enum { SG__R_SUM, SG__R_MEAN, SG__R_MAX, SG__R_MIN };
SG__INTERNAL int sg__reduce_walk(sg__kctx *k, const sg__node *n, const sg_ndarray *x, sg__walk *w, int64_t *cnt) {
    sg__infer c;
    sg_shape s = sg__kshape(x), o;
    int mask[SG_MAX_NDIM], i, st;
    int64_t m = 1, mo = 1;
    c.g = k->g;
    c.nin = 1;
    c.nout = 1;
    if ((st = sg__reduce_out(&c, n, &s, &o, mask)) != SG_OK) return st;
    *cnt = 1;
    w->nd = s.ndim;
    for (i = s.ndim - 1; i >= 0; i--) {
        w->dims[i] = s.dims[i];
        w->st[0][i] = m;
        w->st[2][i] = 0;
        m *= s.dims[i];
        if (mask[i]) { w->st[1][i] = 0; *cnt *= s.dims[i]; }
        else { w->st[1][i] = mo; mo *= s.dims[i]; }
    }
    sg__walk_start(w);
    return SG_OK;
}
SG__INTERNAL int sg__reduce_kind(const sg__node *n) {
    const char *nm = n->op->name;
    return !strcmp(nm, "mean") ? SG__R_MEAN : !strcmp(nm, "max") ? SG__R_MAX : !strcmp(nm, "min") ? SG__R_MIN : SG__R_SUM;
}
/* max/min keep a NaN once seen, as mshadow's red::maximum / red::minimum. */
#define SG__REDUCE_DEF(S, T)                                                                                       \
    SG__INTERNAL void sg__reduce_run_##S(int kind, sg__walk *w, const T *x, T *y, int64_t ysize, int64_t cnt) {    \
        int64_t r, j, i;                                                                                           \
        T init = kind == SG__R_MAX ? -(T)HUGE_VAL : kind == SG__R_MIN ? (T)HUGE_VAL : (T)0;                        \
        for (i = 0; i < ysize; i++) y[i] = init;                                                                   \
        SG__WALK(*w, r) {                                                                                          \
            const T *xp = x + w->off[0];                                                                           \
            T *yp = y + w->off[1];                                                                                 \
            int64_t s0 = w->s[0], s1 = w->s[1];                                                                    \
            if (kind == SG__R_SUM || kind == SG__R_MEAN) {                                                         \
                if (s1 == 0) {                                                                                     \
                    T acc = 0;                                                                                     \
                    for (j = 0; j < w->len; j++) acc += xp[j * s0];                                                \
                    yp[0] += acc;                                                                                  \
                } else {                                                                                           \
                    for (j = 0; j < w->len; j++) yp[j * s1] += xp[j * s0];                                         \
                }                                                                                                  \
            } else if (kind == SG__R_MAX) {                                                                        \
                for (j = 0; j < w->len; j++) {                                                                     \
                    T v = xp[j * s0], *t = &yp[j * s1];                                                            \
                    if (*t == *t && !(*t >= v)) *t = v;                                                            \
                }                                                                                                  \
            } else {                                                                                               \
                for (j = 0; j < w->len; j++) {                                                                     \
                    T v = xp[j * s0], *t = &yp[j * s1];                                                            \
                    if (*t == *t && !(*t <= v)) *t = v;                                                            \
                }                                                                                                  \
            }                                                                                                      \
        }                                                                                                          \
        if (kind == SG__R_MEAN)                                                                                    \
            for (i = 0; i < ysize; i++) y[i] = y[i] / (T)cnt;                                                      \
    }                                                                                                              \
    SG__INTERNAL void sg__reduce_grad_##S(int kind, sg__walk *w, const T *x, const T *y, const T *g, T *d,         \
                                          int add, int64_t cnt) {                                                  \
        int64_t r, j;                                                                                              \
        T c = (T)cnt;                                                                                              \
        SG__WALK(*w, r) {                                                                                          \
            const T *xp = x + w->off[0], *yp = y + w->off[1], *gp = g + w->off[1];                                 \
            T *dp = d + w->off[0];                                                                                 \
            int64_t s0 = w->s[0], s1 = w->s[1];                                                                    \
            for (j = 0; j < w->len; j++) {                                                                         \
                T v;                                                                                               \
                if (kind == SG__R_SUM) v = gp[j * s1];                                                             \
                else if (kind == SG__R_MEAN) v = gp[j * s1] / c;                                                   \
                else v = xp[j * s0] == yp[j * s1] ? gp[j * s1] : (T)0;                                             \
                if (add) dp[j * s0] += v;                                                                          \
                else dp[j * s0] = v;                                                                               \
            }                                                                                                      \
        }                                                                                                          \
    }
SG__REDUCE_DEF(f, float)
SG__REDUCE_DEF(d, double)
/* int32, as MXNet: sum wraps around in int32, mean is that sum divided by the
 * count in integers (truncated; 0 for an empty reduction, where MXNet divides
 * by zero), max / min start from INT32_MIN / INT32_MAX. */
SG__INTERNAL void sg__reduce_run_i(int kind, sg__walk *w, const int32_t *x, int32_t *y, int64_t ysize, int64_t cnt) {
    int64_t r, j, i;
    int32_t init = kind == SG__R_MAX ? INT32_MIN : kind == SG__R_MIN ? INT32_MAX : 0;
    for (i = 0; i < ysize; i++) y[i] = init;
    SG__WALK(*w, r) {
        const int32_t *xp = x + w->off[0];
        int32_t *yp = y + w->off[1];
        for (j = 0; j < w->len; j++) {
            int32_t v = xp[j * w->s[0]], *t = &yp[j * w->s[1]];
            if (kind == SG__R_SUM || kind == SG__R_MEAN) *t = sg__i32((int64_t)*t + v);
            else if (kind == SG__R_MAX ? v > *t : v < *t) *t = v;
        }
    }
    if (kind == SG__R_MEAN)
        for (i = 0; i < ysize; i++) y[i] = cnt > 0 ? sg__i32((int64_t)y[i] / cnt) : 0;
}
SG__INTERNAL int sg__reduce_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *arr[2];
    sg__walk w;
    int64_t cnt;
    int st;
    arr[0] = in[0]; arr[1] = out[0];
    if ((st = sg__need_fd(k, n, arr, 2, 1)) != SG_OK) return st;
    if ((st = sg__reduce_walk(k, n, in[0], &w, &cnt)) != SG_OK) return st;
    if (out[0]->dtype == SG_INT32)
        sg__reduce_run_i(sg__reduce_kind(n), &w, (const int32_t *)in[0]->data, (int32_t *)out[0]->data, out[0]->size, cnt);
    else if (out[0]->dtype == SG_FLOAT32) sg__reduce_run_f(sg__reduce_kind(n), &w, SG__F(in[0]), SG__F(out[0]), out[0]->size, cnt);
    else sg__reduce_run_d(sg__reduce_kind(n), &w, SG__D(in[0]), SG__D(out[0]), out[0]->size, cnt);
    return SG_OK;
}
/* sum: g broadcast; mean: g/n; max/min: g to every element equal to the result. */
SG__INTERNAL int sg__reduce_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg_ndarray *arr[4];
    sg__walk w;
    int64_t cnt;
    int st, add = req[0] == SG_REQ_ADD;
    if (!ig[0]) return SG_OK;
    if (!og[0]) { sg__zero_ig(ig, req, 1); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = out[0]; arr[3] = ig[0];
    if ((st = sg__need_fd(k, n, arr, 4, 0)) != SG_OK) return st;
    if ((st = sg__reduce_walk(k, n, in[0], &w, &cnt)) != SG_OK) return st;
    if (ig[0]->dtype == SG_FLOAT32)
        sg__reduce_grad_f(sg__reduce_kind(n), &w, SG__F(in[0]), SG__F(out[0]), SG__F(og[0]), SG__F(ig[0]), add, cnt);
    else
        sg__reduce_grad_d(sg__reduce_kind(n), &w, SG__D(in[0]), SG__D(out[0]), SG__D(og[0]), SG__D(ig[0]), add, cnt);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Cast (alias cast)
 * ------------------------------------------------------------------------- */
#define SG__DTYPES_ALL "bfloat16|bool|float16|float32|float64|int32|int64|int8|uint8"
static const sg__pdef sg__p_cast[] = {{"dtype", SG__P_ENUM, NULL, SG__DTYPES_ALL, 0}};
SG__INTERNAL int sg__enum_dtype(const sg__node *n, const char *pname) {
    return sg_dtype_from_name(sg__param(n, pname)->s);
}
SG__INTERNAL int sg__cast_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    (void)c; (void)in;
    out[0] = sg__enum_dtype(n, "dtype");
    return SG_OK;
}
/* A C conversion (floats truncate toward zero); the gradient casts back. */
SG__INTERNAL int sg__cast_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    const sg_ndarray *x = in[0];
    sg_ndarray *y = out[0];
    int64_t i, cnt = y->size;
    (void)k; (void)n;
    if (x->dtype == y->dtype) {
        if (x->data != y->data && y->nbytes) memmove(y->data, x->data, y->nbytes);
    } else if (x->dtype == SG_FLOAT32 && y->dtype == SG_FLOAT64) {
        for (i = 0; i < cnt; i++) SG__D(y)[i] = SG__F(x)[i];
    } else if (x->dtype == SG_FLOAT64 && y->dtype == SG_FLOAT32) {
        for (i = 0; i < cnt; i++) SG__F(y)[i] = (float)SG__D(x)[i];
    } else {
        for (i = 0; i < cnt; i++) sg__store(y->data, y->dtype, i, sg__load(x->data, x->dtype, i));
    }
    return SG_OK;
}
SG__INTERNAL int sg__cast_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                              sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg_ndarray *d = ig[0];
    const sg_ndarray *g = og[0];
    int64_t i, cnt;
    (void)k; (void)n; (void)in; (void)out;
    if (!d) return SG_OK;
    if (!g) { sg__zero_ig(ig, req, 1); return SG_OK; }
    cnt = d->size;
    if (d->dtype == g->dtype) { sg__put_n(d->dtype, d->data, 0, g->data, 0, cnt, req[0]); return SG_OK; }
    for (i = 0; i < cnt; i++) {
        double v = sg__load(g->data, g->dtype, i);
        if (req[0] == SG_REQ_ADD) v += sg__load(d->data, d->dtype, i);
        sg__store(d->data, d->dtype, i, v);
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Unary math: relu, sigmoid, tanh (standalone), sin, cos, exp, log, sqrt,
 * square, abs, negative. Input data; same shape; may run in place.
 * ------------------------------------------------------------------------- */
enum { SG__U_RELU, SG__U_SIGMOID, SG__U_TANH, SG__U_SIN, SG__U_COS, SG__U_EXP, SG__U_LOG, SG__U_SQRT, SG__U_SQUARE,
       SG__U_ABS, SG__U_NEG };
SG__INTERNAL int sg__unary_code(const char *name) {
    static const char *const names[] = {"relu", "sigmoid", "tanh", "sin", "cos", "exp", "log", "sqrt", "square",
                                        "abs", "negative"};
    int i;
    for (i = 0; i < SG__NP(names); i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}
#define SG__UROW(T, E) do { int64_t j_; for (j_ = 0; j_ < cnt; j_++) { T X = x[j_]; y[j_] = (E); } } while (0)
/* dx from g, the input x and the output y */
#define SG__UGROW(T, E)                                                                                            \
    do {                                                                                                           \
        int64_t j_;                                                                                                \
        if (add) for (j_ = 0; j_ < cnt; j_++) { T G = g[j_], X = x[j_], Y = y[j_]; (void)X; (void)Y; d[j_] += (E); } \
        else for (j_ = 0; j_ < cnt; j_++) { T G = g[j_], X = x[j_], Y = y[j_]; (void)X; (void)Y; d[j_] = (E); }     \
    } while (0)
#define SG__UNARY_DEF(S, T)                                                                                        \
    SG__INTERNAL void sg__unary_row_##S(int op, int64_t cnt, const T *x, T *y) {                                   \
        switch (op) {                                                                                              \
        case SG__U_RELU: SG__UROW(T, X != X || X > 0 ? X : (T)0); break; /* NaN stays NaN, as MXNet */              \
        case SG__U_SIGMOID: SG__UROW(T, (T)1 / ((T)1 + SG__MF(S, exp)(-X))); break;                                \
        case SG__U_TANH: SG__UROW(T, SG__MF(S, tanh)(X)); break;                                                   \
        case SG__U_SIN: SG__UROW(T, SG__MF(S, sin)(X)); break;                                                     \
        case SG__U_COS: SG__UROW(T, SG__MF(S, cos)(X)); break;                                                     \
        case SG__U_EXP: SG__UROW(T, SG__MF(S, exp)(X)); break;                                                     \
        case SG__U_LOG: SG__UROW(T, SG__MF(S, log)(X)); break;                                                     \
        case SG__U_SQRT: SG__UROW(T, SG__MF(S, sqrt)(X)); break;                                                   \
        case SG__U_SQUARE: SG__UROW(T, X * X); break;                                                              \
        case SG__U_ABS: SG__UROW(T, SG__MF(S, fabs)(X)); break;                                                    \
        case SG__U_NEG: SG__UROW(T, -X); break;                                                                    \
        }                                                                                                          \
    }                                                                                                              \
    SG__INTERNAL void sg__unary_grad_##S(int op, int64_t cnt, const T *g, const T *x, const T *y, T *d, int add) { \
        switch (op) {                                                                                              \
        case SG__U_RELU: SG__UGROW(T, Y != Y ? Y : Y > 0 ? G : (T)0); break;                                      \
        case SG__U_SIGMOID: SG__UGROW(T, G * Y * ((T)1 - Y)); break;                                               \
        case SG__U_TANH: SG__UGROW(T, G * ((T)1 - Y * Y)); break;                                                  \
        case SG__U_SIN: SG__UGROW(T, G * SG__MF(S, cos)(X)); break;                                                \
        case SG__U_COS: SG__UGROW(T, -G * SG__MF(S, sin)(X)); break;                                               \
        case SG__U_EXP: SG__UGROW(T, G * Y); break;                                                                \
        case SG__U_LOG: SG__UGROW(T, G / X); break;                                                                \
        case SG__U_SQRT: SG__UGROW(T, G * ((T)0.5 / Y)); break;                                                    \
        case SG__U_SQUARE: SG__UGROW(T, (T)2 * X * G); break;                                                      \
        case SG__U_ABS: SG__UGROW(T, X > 0 ? G : X < 0 ? -G : (T)0); break;                                        \
        case SG__U_NEG: SG__UGROW(T, -G); break;                                                                   \
        }                                                                                                          \
    }
SG__UNARY_DEF(f, float)
SG__UNARY_DEF(d, double)
/* int32, as MXNet 1.9's CPU kernels: relu, abs and negative in integers (abs and
 * negative of INT32_MIN stay INT32_MIN), the rest in float (libm's float
 * functions; sigmoid negates in integers first), converted by sg__i32x. */
SG__INTERNAL void sg__unary_row_i(int op, int64_t cnt, const int32_t *x, int32_t *y) {
    int64_t j;
    for (j = 0; j < cnt; j++) {
        int32_t X = x[j];
        float f = (float)X;
        switch (op) {
        case SG__U_RELU: y[j] = X > 0 ? X : 0; break;
        case SG__U_ABS: y[j] = X < 0 ? sg__i32(-(int64_t)X) : X; break;
        case SG__U_NEG: y[j] = sg__i32(-(int64_t)X); break;
        case SG__U_SIGMOID: y[j] = sg__i32x(1.0f / (1.0f + expf((float)sg__i32(-(int64_t)X)))); break;
        case SG__U_TANH: y[j] = sg__i32x(tanhf(f)); break;
        case SG__U_SIN: y[j] = sg__i32x(sinf(f)); break;
        case SG__U_COS: y[j] = sg__i32x(cosf(f)); break;
        case SG__U_EXP: y[j] = sg__i32x(expf(f)); break;
        case SG__U_LOG: y[j] = sg__i32x(logf(f)); break;
        case SG__U_SQRT: y[j] = sg__i32x(sqrtf(f)); break;
        default: y[j] = sg__i32x(f * f); break; /* square */
        }
    }
}
SG__INTERNAL int sg__unary_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int op = sg__unary_code(n->op->name), st;
    sg_ndarray *arr[2];
    arr[0] = in[0]; arr[1] = out[0];
    if (op < 0) return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): no unary kernel", n->name, n->op->name);
    if ((st = sg__need_fd(k, n, arr, 2, 1)) != SG_OK) return st;
    if (out[0]->dtype == SG_INT32) sg__unary_row_i(op, out[0]->size, (const int32_t *)in[0]->data, (int32_t *)out[0]->data);
    else if (out[0]->dtype == SG_FLOAT32) sg__unary_row_f(op, out[0]->size, SG__F(in[0]), SG__F(out[0]));
    else sg__unary_row_d(op, out[0]->size, SG__D(in[0]), SG__D(out[0]));
    return SG_OK;
}
SG__INTERNAL int sg__unary_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                               sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int op = sg__unary_code(n->op->name), st;
    sg_ndarray *arr[4];
    if (op < 0) return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (%s): no unary kernel", n->name, n->op->name);
    if (!ig[0]) return SG_OK;
    if (!og[0]) { sg__zero_ig(ig, req, 1); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = out[0]; arr[3] = ig[0];
    if ((st = sg__need_fd(k, n, arr, 4, 0)) != SG_OK) return st;
    if (ig[0]->dtype == SG_FLOAT32)
        sg__unary_grad_f(op, ig[0]->size, SG__F(og[0]), SG__F(in[0]), SG__F(out[0]), SG__F(ig[0]), req[0] == SG_REQ_ADD);
    else
        sg__unary_grad_d(op, ig[0]->size, SG__D(og[0]), SG__D(in[0]), SG__D(out[0]), SG__D(ig[0]), req[0] == SG_REQ_ADD);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * clip
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_clip[] = {
    {"a_min", SG__P_FLOAT, NULL, NULL, 0},
    {"a_max", SG__P_FLOAT, NULL, NULL, 0},
};
/* y = x > a_max ? a_max : x < a_min ? a_min : x (MXNet's order); dx = g except
 * where x < a_min or x > a_max (so a NaN x passes g, as MXNet). */
SG__INTERNAL int sg__clip_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    double lo = SG__PF(n, "a_min"), hi = SG__PF(n, "a_max");
    int64_t i, cnt = out[0]->size;
    sg_ndarray *arr[2];
    int st;
    arr[0] = in[0]; arr[1] = out[0];
    if ((st = sg__need_fd(k, n, arr, 2, 1)) != SG_OK) return st;
    if (out[0]->dtype == SG_INT32) { /* compared in float, the bound converted: as MXNet */
        const int32_t *x = (const int32_t *)in[0]->data;
        int32_t *y = (int32_t *)out[0]->data;
        float l = (float)lo, h = (float)hi;
        for (i = 0; i < cnt; i++) { float v = (float)x[i]; y[i] = v > h ? sg__i32x(h) : v < l ? sg__i32x(l) : x[i]; }
    } else if (out[0]->dtype == SG_FLOAT32) {
        const float *x = SG__F(in[0]);
        float *y = SG__F(out[0]), l = (float)lo, h = (float)hi;
        for (i = 0; i < cnt; i++) { float v = x[i]; y[i] = v > h ? h : v < l ? l : v; }
    } else {
        const double *x = SG__D(in[0]);
        double *y = SG__D(out[0]);
        for (i = 0; i < cnt; i++) { double v = x[i]; y[i] = v > hi ? hi : v < lo ? lo : v; }
    }
    return SG_OK;
}
SG__INTERNAL int sg__clip_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                              sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    double lo = SG__PF(n, "a_min"), hi = SG__PF(n, "a_max");
    int64_t i, cnt = in[0]->size;
    int add = req[0] == SG_REQ_ADD, st;
    sg_ndarray *arr[3];
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) { sg__zero_ig(ig, req, 1); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = ig[0];
    if ((st = sg__need_fd(k, n, arr, 3, 0)) != SG_OK) return st;
    if (ig[0]->dtype == SG_FLOAT32) {
        const float *x = SG__F(in[0]), *g = SG__F(og[0]);
        float *d = SG__F(ig[0]), l = (float)lo, h = (float)hi;
        for (i = 0; i < cnt; i++) { float v = (x[i] < l || x[i] > h) ? 0.0f : g[i]; if (add) d[i] += v; else d[i] = v; }
    } else {
        const double *x = SG__D(in[0]), *g = SG__D(og[0]);
        double *d = SG__D(ig[0]);
        for (i = 0; i < cnt; i++) { double v = (x[i] < lo || x[i] > hi) ? 0.0 : g[i]; if (add) d[i] += v; else d[i] = v; }
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * Embedding: data (indices), weight (input_dim, output_dim).
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_embedding[] = {
    {"input_dim", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"output_dim", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"dtype", SG__P_ENUM, "float32", SG__DTYPES_ALL, 0},
    {"sparse_grad", SG__P_BOOL, "False", NULL, 0},
};
SG__INTERNAL int sg__embedding_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape o;
    int i, st;
    if (in[0].ndim < 0) return SG_OK;
    if ((st = sg__in_assign(c, n, in, 1, sg__shp(2, (int64_t)SG__PI(n, "input_dim"), (int64_t)SG__PI(n, "output_dim")))) != SG_OK)
        return st;
    if (in[0].ndim + 1 > SG_MAX_NDIM) return sg__fail(c, n, "data has too many dims");
    o = in[0];
    o.ndim++;
    o.dims[in[0].ndim] = SG__PI(n, "output_dim");
    for (i = 0; i < in[0].ndim; i++) o.dims[i] = in[0].dims[i];
    out[0] = o;
    return SG_OK;
}
/* EmbeddingOpType: the data's dtype is required; the weight and the output
 * share one dtype, the dtype parameter only when neither is known. */
SG__INTERNAL int sg__embedding_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    int dt = sg__enum_dtype(n, "dtype");
    if (in[0] < 0)
        return sg__seterr(c->g, SG_ERR_TYPE, "Error in operator %s (Embedding): First input (data) must have specified type", n->name);
    if (in[1] >= 0 && out[0] >= 0 && in[1] != out[0])
        return sg__seterr(c->g, SG_ERR_TYPE, "Error in operator %s (Embedding): Input and output weights must have same type "
                          "(weight %s, output %s)", n->name, sg_dtype_name(in[1]), sg_dtype_name(out[0]));
    if (in[1] >= 0) dt = in[1];
    else if (out[0] >= 0) dt = out[0];
    in[1] = dt;
    out[0] = dt;
    return SG_OK;
}

/* Kernels: indices (any dtype) cast to int and clipped to [0, input_dim-1];
 * dW accumulates the rows of the head gradient; a data gradient is an error. */
SG__INTERNAL int64_t sg__emb_row(const sg_ndarray *d, int64_t i, int64_t K) {
    double v = sg__load(d->data, d->dtype, i);
    if (!(v > 0)) return 0;
    return v >= (double)K ? K - 1 : (int64_t)v;
}
SG__INTERNAL int sg__embedding_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int64_t K = in[1]->shape.dims[0], D = in[1]->shape.ndim > 1 ? in[1]->shape.dims[1] : 1, i;
    size_t es = sg_dtype_size(in[1]->dtype);
    int st;
    if ((st = sg__nn_dtype(k, n, in[1])) != SG_OK) return st;
    if (K <= 0 && in[0]->size > 0)
        return sg__seterr(k->g, SG_ERR_SHAPE, "Operator %s (Embedding): input_dim is 0", n->name);
    for (i = 0; i < in[0]->size; i++)
        memcpy((char *)out[0]->data + (size_t)(i * D) * es, (const char *)in[1]->data + (size_t)(sg__emb_row(in[0], i, K) * D) * es,
               (size_t)D * es);
    return SG_OK;
}
SG__INTERNAL int sg__embedding_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                   sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int64_t K = in[1]->shape.dims[0], D = in[1]->shape.ndim > 1 ? in[1]->shape.dims[1] : 1, i, j;
    int st;
    (void)out;
    if (ig[0])
        return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (Embedding): Embedding layer doesn't support calculate data gradient",
                          n->name);
    if (!ig[1]) return SG_OK;
    if ((st = sg__nn_dtype(k, n, in[1])) != SG_OK) return st;
    if (req[1] != SG_REQ_ADD && ig[1]->nbytes) memset(ig[1]->data, 0, ig[1]->nbytes);
    if (K <= 0 || !og[0]) return SG_OK;
    if (in[1]->dtype == SG_FLOAT64) {
        const double *g = (const double *)og[0]->data;
        double *dw = (double *)ig[1]->data;
        for (i = 0; i < in[0]->size; i++) {
            double *r = dw + sg__emb_row(in[0], i, K) * D;
            for (j = 0; j < D; j++) r[j] += g[i * D + j];
        }
    } else {
        const float *g = SG__F(og[0]);
        float *dw = SG__F(ig[1]);
        for (i = 0; i < in[0]->size; i++) {
            float *r = dw + sg__emb_row(in[0], i, K) * D;
            for (j = 0; j < D; j++) r[j] += g[i * D + j];
        }
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * _zeros / _ones: no inputs; 0 in shape = unknown, filled backward.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_init[] = {
    {"shape", SG__P_TUPLE, "()", NULL, 0},
    {"ctx", SG__P_STR, "", NULL, 0},
    {"dtype", SG__P_ENUM, "float32", SG__DTYPES_ALL, 0},
};
SG__INTERNAL int sg__init_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg__pval *sp = sg__param(n, "shape");
    sg_shape p = sg__shape_unknown();
    int i;
    (void)in;
    if (sp->ndim > 0) {
        p.ndim = sp->ndim;
        for (i = 0; i < sp->ndim; i++) p.dims[i] = sp->t[i] == 0 ? -1 : sp->t[i];
    }
    if (sg__shape_known(&out[0]) && !sg__shape_known(&p)) return SG_OK;
    return sg__out_assign(c, n, out, 0, p);
}
SG__INTERNAL int sg__init_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    (void)in;
    return sg__type_assign(c, n, &out[0], 0, sg__enum_dtype(n, "dtype"));
}
SG__INTERNAL int sg__init_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *y = out[0];
    int64_t i;
    (void)k; (void)in;
    if (y->nbytes) memset(y->data, 0, y->nbytes);
    if (!strcmp(n->op->name, "_ones")) {
        if (y->dtype == SG_FLOAT32) for (i = 0; i < y->size; i++) SG__F(y)[i] = 1.0f;
        else if (y->dtype == SG_FLOAT64) for (i = 0; i < y->size; i++) SG__D(y)[i] = 1.0;
        else for (i = 0; i < y->size; i++) sg__store(y->data, y->dtype, i, 1.0);
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * MakeLoss, add_n (ElementWiseSum)
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_makeloss[] = {
    {"grad_scale", SG__P_FLOAT, "1", NULL, 0},
    {"valid_thresh", SG__P_FLOAT, "0", NULL, 0},
    {"normalization", SG__P_ENUM, "null", "batch|null|valid", 0},
};
/* MakeLoss kernels: y = x; dx = grad_scale / v whatever the head gradient, v = 1
 * (null), rows of the data viewed as 2-D (batch: size / last dim, as MXNet's
 * FlatTo2D, so 1 for 1-D data; the quotient in float, as MXNet, also for float64
 * data), or max(1, count(x > valid_thresh)) (valid, the quotient in the dtype). */
SG__INTERNAL int sg__makeloss_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    int st;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    if (out[0]->data != in[0]->data && in[0]->nbytes) memcpy(out[0]->data, in[0]->data, in[0]->nbytes);
    return SG_OK;
}
SG__INTERNAL int sg__makeloss_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                  sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int norm = (int)SG__PI(n, "normalization"), st, dbl = in[0]->dtype == SG_FLOAT64, add = req[0] == SG_REQ_ADD;
    const sg_shape *sh = &in[0]->shape;
    double v = SG__PF(n, "grad_scale"), den = 1, th = SG__PF(n, "valid_thresh");
    int64_t i, sz = in[0]->size;
    (void)og;
    (void)out;
    if (!ig[0]) return SG_OK;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    if (norm == 0) { /* batch */
        int64_t last = sh->ndim > 0 ? sh->dims[sh->ndim - 1] : 1;
        v = sg__grad_scale_f(v, 1, last > 0 ? sz / last : 1); /* grad_scale / rows */
    } else if (norm == 2) { /* valid */
        int64_t cnt = 0;
        if (dbl) { const double *x = (const double *)in[0]->data; for (i = 0; i < sz; i++) cnt += x[i] > th; }
        else { const float *x = SG__F(in[0]); float tf = (float)th; for (i = 0; i < sz; i++) cnt += x[i] > tf; }
        den = cnt > 1 ? (double)cnt : 1;
    }
    if (dbl) {
        double *dx = (double *)ig[0]->data, g = v / den;
        for (i = 0; i < sz; i++) SG__PUT(req[0], dx[i], g);
    } else {
        float *dx = SG__F(ig[0]), g = (float)(v / den);
        if (add) for (i = 0; i < sz; i++) dx[i] += g;
        else for (i = 0; i < sz; i++) dx[i] = g;
    }
    return SG_OK;
}
static const sg__pdef sg__p_add_n[] = {{"num_args", SG__P_INT, NULL, NULL, SG__PF_GE1}};
/* y = sum of the inputs; each input's gradient is g. Any dtype. */
SG__INTERNAL int sg__add_n_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *y = out[0];
    int i;
    for (i = 0; i < n->nin; i++)
        if (in[i]->dtype != y->dtype) return sg__dtype_err(k, n, in[i]->dtype);
    if (y->dtype == SG_FLOAT32 && n->nin >= 2) { /* one pass for the first two */
        const float *a = SG__F(in[0]), *b = SG__F(in[1]);
        float *d = SG__F(y);
        int64_t j;
        for (j = 0; j < y->size; j++) d[j] = a[j] + b[j];
        i = 2;
    } else {
        sg__put_n(y->dtype, y->data, 0, in[0]->data, 0, y->size, SG_REQ_WRITE);
        i = 1;
    }
    for (; i < n->nin; i++) sg__put_n(y->dtype, y->data, 0, in[i]->data, 0, y->size, SG_REQ_ADD);
    return SG_OK;
}
SG__INTERNAL int sg__add_n_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                               sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    int i;
    (void)in; (void)out;
    if (!og[0]) { sg__zero_ig(ig, req, n->nin); return SG_OK; }
    for (i = 0; i < n->nin; i++) { /* in order: a repeated input accumulates */
        if (!ig[i]) continue;
        if (ig[i]->dtype != og[0]->dtype) return sg__dtype_err(k, n, ig[i]->dtype);
        sg__put_n(ig[i]->dtype, ig[i]->data, 0, og[0]->data, 0, ig[i]->size, req[i]);
    }
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * L2Normalization (outputs output and norm, 1 visible); smooth_l1.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_l2norm[] = {
    {"eps", SG__P_FLOAT, "1e-10", NULL, 0},
    {"mode", SG__P_ENUM, "instance", "channel|instance|spatial", 0},
};
SG__INTERNAL int sg__l2norm_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    sg_shape d = in[0], nm = sg__shape_unknown();
    int mode = (int)SG__PI(n, "mode"), i;
    if (d.ndim < 0) return SG_OK;
    if (d.ndim < 1) return sg__fail(c, n, "L2Normalization needs data of at least 1 dim");
    if (mode != 1 && d.ndim < 3) /* MXNet's message, typo included */
        return sg__fail(c, n, "At lease 3 dimensions required in %s mode", mode == 0 ? "channel" : "spatial");
    if (mode == 1) nm = sg__shp(1, d.dims[0]);
    else if (mode == 2) nm = sg__shp(2, d.dims[0], d.dims[1]);
    else {
        nm.ndim = d.ndim - 1;
        nm.dims[0] = d.dims[0];
        for (i = 2; i < d.ndim; i++) nm.dims[i - 1] = d.dims[i];
    }
    out[0] = d;
    out[1] = nm;
    return SG_OK;
}
/* Kernels: norm = sqrt(sum x^2 + eps) over each group (instance: a sample;
 * channel: dim 1 at each position; spatial: dims 2.. of each channel);
 * y = x / norm; dx = (g - y * sum(g * y)) / norm over the group. A group is
 * len elements with stride es starting at o*os + i*is, for o < no, i < ni. */
typedef struct sg__l2g { int64_t no, ni, os, is, es, len; } sg__l2g;
SG__INTERNAL void sg__l2_groups(const sg__node *n, const sg_shape *d, sg__l2g *q) {
    int64_t N = d->dims[0], C = d->ndim > 1 ? d->dims[1] : 1, S = sg__known_prod(d, 2, d->ndim);
    int mode = (int)SG__PI(n, "mode");
    if (mode == 1) { q->no = N; q->ni = 1; q->os = C * S; q->is = 0; q->es = 1; q->len = C * S; }      /* instance */
    else if (mode == 0) { q->no = N; q->ni = S; q->os = C * S; q->is = 1; q->es = S; q->len = C; }   /* channel */
    else { q->no = N * C; q->ni = 1; q->os = S; q->is = 0; q->es = 1; q->len = S; }                   /* spatial */
}
#define SG__L2_KERNELS(T, S)                                                                                          \
    SG__INTERNAL void sg__l2_fwd_##S(const sg__l2g *q, const T *x, T *y, T *nrm, double eps) {                        \
        int64_t o, i, t;                                                                                               \
        for (o = 0; o < q->no; o++)                                                                                    \
            for (i = 0; i < q->ni; i++) {                                                                              \
                int64_t b = o * q->os + i * q->is;                                                                     \
                T s = 0, nv;                                                                                           \
                for (t = 0; t < q->len; t++) s += x[b + t * q->es] * x[b + t * q->es];                                 \
                nv = (T)sqrt((double)(s + (T)eps));                                                                    \
                nrm[o * q->ni + i] = nv;                                                                               \
                for (t = 0; t < q->len; t++) y[b + t * q->es] = x[b + t * q->es] / nv;                                 \
            }                                                                                                          \
    }                                                                                                                  \
    SG__INTERNAL void sg__l2_bwd_##S(const sg__l2g *q, const T *g, const T *y, const T *nrm, T *dx, int add) {        \
        int64_t o, i, t;                                                                                               \
        for (o = 0; o < q->no; o++)                                                                                    \
            for (i = 0; i < q->ni; i++) {                                                                              \
                int64_t b = o * q->os + i * q->is;                                                                     \
                T s = 0, nv = nrm[o * q->ni + i];                                                                      \
                for (t = 0; t < q->len; t++) s += g[b + t * q->es] * y[b + t * q->es];                                 \
                for (t = 0; t < q->len; t++) {                                                                         \
                    T v = (g[b + t * q->es] - y[b + t * q->es] * s) / nv;                                              \
                    if (add) dx[b + t * q->es] += v; else dx[b + t * q->es] = v;                                       \
                }                                                                                                      \
            }                                                                                                          \
    }
SG__L2_KERNELS(float, f)
SG__L2_KERNELS(double, d)
#undef SG__L2_KERNELS
SG__INTERNAL int sg__l2norm_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg__l2g q;
    int st;
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    sg__l2_groups(n, &in[0]->shape, &q);
    if (in[0]->dtype == SG_FLOAT64)
        sg__l2_fwd_d(&q, (const double *)in[0]->data, (double *)out[0]->data, (double *)out[1]->data, SG__PF(n, "eps"));
    else
        sg__l2_fwd_f(&q, SG__F(in[0]), SG__F(out[0]), SG__F(out[1]), SG__PF(n, "eps"));
    return SG_OK;
}
SG__INTERNAL int sg__l2norm_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg__l2g q;
    int st;
    if (!ig[0]) return SG_OK;
    if (!og[0]) return sg__nn_no_og(n, ig, req);
    if ((st = sg__nn_dtype(k, n, in[0])) != SG_OK) return st;
    sg__l2_groups(n, &in[0]->shape, &q);
    if (in[0]->dtype == SG_FLOAT64)
        sg__l2_bwd_d(&q, (const double *)og[0]->data, (const double *)out[0]->data, (const double *)out[1]->data,
                     (double *)ig[0]->data, req[0] == SG_REQ_ADD);
    else
        sg__l2_bwd_f(&q, SG__F(og[0]), SG__F(out[0]), SG__F(out[1]), SG__F(ig[0]), req[0] == SG_REQ_ADD);
    return SG_OK;
}
static const sg__pdef sg__p_smooth_l1[] = {{"scalar", SG__P_FLOAT, "1", NULL, SG__PF_F64}};
/* MXNet's smooth_l1 with sigma = scalar: 0.5 (sigma x)^2 when |x| <= 1/sigma^2,
 * else |x| - 0.5/sigma^2; gradient sigma^2 x, else sign(x) (mshadow_op::smooth_l1_loss). */
#define SG__SMOOTH_L1_DEF(S, T)                                                                                    \
    SG__INTERNAL void sg__smooth_l1_run_##S(int64_t cnt, T sigma, const T *x, const T *g, T *y, int add) {         \
        T bsq = sigma * sigma, ibsq = (T)1 / bsq;                                                                  \
        int64_t i;                                                                                                 \
        for (i = 0; i < cnt; i++) {                                                                                \
            T a = x[i], v;                                                                                         \
            if (!g) v = a > ibsq ? a - (T)0.5 * ibsq : a < -ibsq ? -a - (T)0.5 * ibsq : (T)0.5 * a * a * bsq;       \
            else v = g[i] * (a > ibsq ? (T)1 : a < -ibsq ? (T)-1 : bsq * a);                                       \
            if (add) y[i] += v;                                                                                    \
            else y[i] = v;                                                                                         \
        }                                                                                                          \
    }
SG__SMOOTH_L1_DEF(f, float)
SG__SMOOTH_L1_DEF(d, double)
SG__INTERNAL int sg__smooth_l1_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg_ndarray *arr[2];
    double s = SG__PF(n, "scalar");
    int st;
    arr[0] = in[0]; arr[1] = out[0];
    if ((st = sg__need_fd(k, n, arr, 2, 0)) != SG_OK) return st;
    if (out[0]->dtype == SG_FLOAT32) sg__smooth_l1_run_f(out[0]->size, (float)s, SG__F(in[0]), NULL, SG__F(out[0]), 0);
    else sg__smooth_l1_run_d(out[0]->size, s, SG__D(in[0]), NULL, SG__D(out[0]), 0);
    return SG_OK;
}
SG__INTERNAL int sg__smooth_l1_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                                   sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg_ndarray *arr[3];
    double s = SG__PF(n, "scalar");
    int st, add = req[0] == SG_REQ_ADD;
    (void)out;
    if (!ig[0]) return SG_OK;
    if (!og[0]) { sg__zero_ig(ig, req, 1); return SG_OK; }
    arr[0] = og[0]; arr[1] = in[0]; arr[2] = ig[0];
    if ((st = sg__need_fd(k, n, arr, 3, 0)) != SG_OK) return st;
    if (ig[0]->dtype == SG_FLOAT32) sg__smooth_l1_run_f(ig[0]->size, (float)s, SG__F(in[0]), SG__F(og[0]), SG__F(ig[0]), add);
    else sg__smooth_l1_run_d(ig[0]->size, s, SG__D(in[0]), SG__D(og[0]), SG__D(ig[0]), add);
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * RNN (fused; src/operator/rnn-inl.h, rnn_impl.h): modes lstm, gru, rnn_relu,
 * rnn_tanh; num_layers, bidirectional, state_outputs, p (dropout between
 * layers in training). Inputs data (T, N, I), parameters (the fused vector,
 * layout in sg__rnn_woff), state (L*D, N, H), state_cell (LSTM); outputs
 * (T, N, D*H), hy, cy. projection_size, lstm_state_clip_min/max and
 * use_sequence_length are refused with the messages of MXNet's native CPU
 * operator (cuDNN-only features there).
 * ------------------------------------------------------------------------- */
enum { SG__RNN_GRU, SG__RNN_LSTM, SG__RNN_RELU, SG__RNN_TANH }; /* the order of mode's values */
static const sg__pdef sg__p_rnn[] = {
    {"state_size", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"num_layers", SG__P_INT, NULL, NULL, SG__PF_GE1},
    {"bidirectional", SG__P_BOOL, "False", NULL, 0},
    {"mode", SG__P_ENUM, NULL, "gru|lstm|rnn_relu|rnn_tanh", 0},
    {"p", SG__P_FLOAT, "0", NULL, SG__PF_UNIT},
    {"state_outputs", SG__P_BOOL, "False", NULL, 0},
    {"projection_size", SG__P_INT, "None", NULL, SG__PF_OPT},
    {"lstm_state_clip_min", SG__P_FLOAT, "None", NULL, SG__PF_OPT | SG__PF_F64},
    {"lstm_state_clip_max", SG__P_FLOAT, "None", NULL, SG__PF_OPT | SG__PF_F64},
    {"lstm_state_clip_nan", SG__P_BOOL, "False", NULL, 0},
    {"use_sequence_length", SG__P_BOOL, "False", NULL, 0},
};
SG__INTERNAL int sg__rnn_inputs(const sg__node *n, const char **names, char *scratch) {
    int k = 0;
    (void)scratch;
    names[k++] = "data";
    names[k++] = "parameters";
    names[k++] = "state";
    if (SG__PI(n, "mode") == SG__RNN_LSTM) names[k++] = "state_cell";
    if (SG__PI(n, "use_sequence_length")) names[k++] = "sequence_length";
    return k;
}
SG__INTERNAL int sg__rnn_nout(const sg__node *n) {
    return SG__PI(n, "state_outputs") ? (SG__PI(n, "mode") == SG__RNN_LSTM ? 3 : 2) : 1;
}
/* Gates per step: LSTM 4, GRU 3, the plain RNNs 1. */
SG__INTERNAL int64_t sg__rnn_gates(int64_t mode) { return mode == SG__RNN_LSTM ? 4 : mode == SG__RNN_GRU ? 3 : 1; }
/* RNNShape: data (seq, batch, input); the fused parameter vector's length is
 * GetRnnParamSize; states (layers * directions, batch, state_size). */
SG__INTERNAL int sg__rnn_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    const sg_shape *d = &in[0];
    int64_t H = SG__PI(n, "state_size"), L = SG__PI(n, "num_layers"), dirs = SG__PI(n, "bidirectional") ? 2 : 1;
    int64_t mode = SG__PI(n, "mode"), gates = sg__rnn_gates(mode), batch, input, size, s1, s2, psize;
    const sg__pval *proj = sg__param(n, "projection_size");
    int64_t P = proj->none ? H : proj->i;
    int st, k = 3;
    char a[256];
    if (d->ndim < 0) return SG_OK;
    if (d->ndim != 3)
        return sg__fail(c, n, "Input data should be rank-3 tensor of dim [sequence length, batch size, input size], got %s",
                        sg_shape_str(d, a, sizeof a));
    batch = d->dims[1];
    input = d->dims[2];
    if ((st = sg__in_assign(c, n, in, 2, sg__shp(3, L * dirs, batch, P))) != SG_OK) return st;
    if (mode == SG__RNN_LSTM && (st = sg__in_assign(c, n, in, k++, sg__shp(3, L * dirs, batch, H))) != SG_OK)
        return st;
    if (input >= 0) {
        double est = ((double)input + P + 2.0 + (L - 1.0) * ((double)P * dirs + P + 2.0)) * (double)H * dirs * gates;
        if (est > 4e18 || (double)L * dirs * (batch > 0 ? batch : 1) * (P > H ? P : H) > 4e18)
            return sg__fail(c, n, "RNN sizes overflow: state_size %lld, num_layers %lld, input size %lld", (long long)H,
                            (long long)L, (long long)input);
        size = H * dirs * gates;
        s1 = (input + P + 2) * size;
        s2 = (P * dirs + P + 2) * size;
        psize = s1 + (L - 1) * s2 + (proj->none ? 0 : P * H * L * dirs);
        if ((st = sg__in_assign(c, n, in, 1, sg__shp(1, psize))) != SG_OK) return st;
    }
    if (SG__PI(n, "use_sequence_length") && (st = sg__in_assign(c, n, in, k, sg__shp(1, batch))) != SG_OK) return st;
    out[0] = *d;
    out[0].dims[2] = dirs * P;
    if (c->nout > 1) out[1] = sg__shp(3, L * dirs, batch, P);
    if (c->nout > 2) out[2] = sg__shp(3, L * dirs, batch, H);
    return SG_OK;
}
/* The CPU kernels (the native CPU path of MXNet's rnn_impl.h): per layer and
 * direction, one GEMM for the input projections of every step, then per step
 * one small GEMM (h_prev Wh^T) and the cell's elementwise update. The node's
 * state (kept from forward to backward) holds each layer's outputs, the
 * activated gates of every step, the LSTM cells (GRU: the h2h part of the
 * candidate) and the dropout masks; backward runs the steps in reverse from it. */
typedef struct sg__rnn {
    int64_t T, N, I, H, L, D, G; /* steps, batch, input size, state size, layers, directions, gates */
    int mode;
    double p;
} sg__rnn;
/* Element offsets into the state: 8 elements of header (element 0: the last
 * forward dropped), the outputs of layers 0..L-2 (T*N x D*H each), per layer
 * and direction the gates (T*N x G*H) and, for LSTM and GRU, the cells or the
 * h2h candidates (T*N x H); then, when p > 0, per layer 0..L-2 the dropout mask
 * and the dropped input of the next layer (T*N x D*H each). */
SG__INTERNAL int64_t sg__rnn_y(const sg__rnn *r, int64_t l) { return 8 + l * r->T * r->N * r->D * r->H; }
SG__INTERNAL int64_t sg__rnn_g(const sg__rnn *r, int64_t l, int64_t d) {
    int64_t cell = r->mode <= SG__RNN_LSTM ? r->H : 0;
    return sg__rnn_y(r, r->L - 1) + (l * r->D + d) * r->T * r->N * (r->G * r->H + cell);
}
SG__INTERNAL int64_t sg__rnn_m(const sg__rnn *r, int64_t l) {
    return sg__rnn_g(r, r->L, 0) + 2 * l * r->T * r->N * r->D * r->H;
}
SG__INTERNAL int64_t sg__rnn_state_len(const sg__rnn *r) { return sg__rnn_m(r, r->p > 0 ? r->L - 1 : 0); }
/* Offsets of layer l direction d's i2h weight (its h2h weight follows) and
 * i2h bias (its h2h bias follows) in the parameter vector: every weight first,
 * layer by layer with the directions inside, then every bias in the same order. */
SG__INTERNAL void sg__rnn_woff(const sg__rnn *r, int64_t l, int64_t d, int64_t *wx, int64_t *bx) {
    int64_t GH = r->G * r->H, in0 = (r->I + r->H) * GH, inl = (r->D * r->H + r->H) * GH;
    *wx = l == 0 ? d * in0 : r->D * in0 + ((l - 1) * r->D + d) * inl;
    *bx = r->D * in0 + (r->L - 1) * r->D * inl + (l * r->D + d) * 2 * GH;
}
/* Workspace elements: the step GEMM's result (N x G*H), the gate gradients of
 * every step (T*N x G*H), the GRU's h2h candidate gradients (T*N x H), two
 * layer-output gradients (T*N x D*H) and three state-sized vectors (N x H). */
SG__INTERNAL int64_t sg__rnn_ws_len(const sg__rnn *r) {
    return r->N * r->G * r->H + r->T * r->N * (r->G * r->H + r->H) + 2 * r->T * r->N * r->D * r->H + 3 * r->N * r->H;
}
#define SG__RNN_KERNELS(FT, S, GEMM)                                                                                   \
    /* One step for every batch row: g (N x G*H) holds the i2h part plus the                                           \
     * biases and becomes the activated gates; hs (N x G*H) is h_prev Wh^T;                                            \
     * hp (ld lp) and cp are the previous state; cell gets the new cell (LSTM) or                                      \
     * the h2h candidate (GRU); h (ld lh) the new state. */                                                            \
    SG__INTERNAL void sg__rnn_cell_##S(const sg__rnn *r, FT *g, const FT *hs, const FT *bh, const FT *hp, int64_t lp,  \
                                       const FT *cp, FT *cell, FT *h, int64_t lh) {                                    \
        int64_t n, j, H = r->H, GH = r->G * r->H;                                                                      \
        for (n = 0; n < r->N; n++) {                                                                                   \
            FT *gn = g + n * GH;                                                                                       \
            const FT *sn = hs + n * GH;                                                                                \
            for (j = 0; j < H; j++) {                                                                                  \
                FT hv;                                                                                                 \
                if (r->mode == SG__RNN_LSTM) {                                                                         \
                    FT in = sg__sigmoid_##S(gn[j] + sn[j]), f = sg__sigmoid_##S(gn[H + j] + sn[H + j]);                \
                    FT c = sg__mtanh_##S(gn[2 * H + j] + sn[2 * H + j]);                                               \
                    FT o = sg__sigmoid_##S(gn[3 * H + j] + sn[3 * H + j]), cn = f * cp[n * H + j] + in * c;            \
                    gn[j] = in; gn[H + j] = f; gn[2 * H + j] = c; gn[3 * H + j] = o;                                   \
                    cell[n * H + j] = cn;                                                                              \
                    hv = o * sg__mtanh_##S(cn);                                                                        \
                } else if (r->mode == SG__RNN_GRU) {                                                                   \
                    FT rr = sg__sigmoid_##S(gn[j] + sn[j]), z = sg__sigmoid_##S(gn[H + j] + sn[H + j]);                \
                    FT hn = sn[2 * H + j] + bh[2 * H + j], c = sg__mtanh_##S(gn[2 * H + j] + rr * hn);                 \
                    gn[j] = rr; gn[H + j] = z; gn[2 * H + j] = c;                                                      \
                    cell[n * H + j] = hn;                                                                              \
                    hv = ((FT)1 - z) * c + z * hp[n * lp + j];                                                         \
                } else {                                                                                               \
                    FT a = gn[j] + sn[j];                                                                              \
                    hv = r->mode == SG__RNN_RELU ? (a > 0 ? a : (FT)0) : sg__mtanh_##S(a);                             \
                }                                                                                                      \
                h[n * lh + j] = hv;                                                                                    \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    /* Forward: y (T, N, D*H), hy and cy (L*D, N, H; NULL: not wanted); drop:                                          \
     * dropout on the outputs of layers 0..L-2 (training with p > 0). */                                               \
    SG__INTERNAL void sg__rnn_fwd_##S(sg__kctx *k, const sg__rnn *r, const FT *x, const FT *w, const FT *hx,           \
                                      const FT *cx, FT *y, FT *hy, FT *cy, int drop) {                                 \
        FT *st = (FT *)k->state, *ws = (FT *)k->ws;                                                                    \
        int64_t l, d, s, i, j, Tn = r->T * r->N, H = r->H, GH = r->G * r->H, DH = r->D * r->H, NH = r->N * r->H;       \
        st[0] = (FT)drop;                                                                                              \
        for (l = 0; l < r->L; l++) {                                                                                   \
            int64_t in = l == 0 ? r->I : DH;                                                                           \
            const FT *X = l == 0 ? x : st + (drop ? sg__rnn_m(r, l - 1) + Tn * DH : sg__rnn_y(r, l - 1));              \
            FT *Y = l == r->L - 1 ? y : st + sg__rnn_y(r, l);                                                          \
            for (d = 0; d < r->D; d++) {                                                                               \
                int64_t wo, bo, q = (l * r->D + d) * NH;                                                               \
                const FT *Wx, *Wh, *bx, *bh;                                                                           \
                FT *G = st + sg__rnn_g(r, l, d), *C = r->mode <= SG__RNN_LSTM ? G + Tn * GH : NULL;                    \
                sg__rnn_woff(r, l, d, &wo, &bo);                                                                       \
                Wx = w + wo; Wh = Wx + GH * in; bx = w + bo; bh = bx + GH;                                             \
                GEMM(k, 0, 1, Tn, GH, in, X, in, Wx, in, 0, G, GH);                                                    \
                for (i = 0; i < Tn; i++)                                                                               \
                    for (j = 0; j < GH; j++)                                                                           \
                        G[i * GH + j] += bx[j] + (r->mode == SG__RNN_GRU && j >= 2 * H ? (FT)0 : bh[j]);               \
                for (s = 0; s < r->T; s++) {                                                                           \
                    int64_t t = d ? r->T - 1 - s : s, tp = d ? t + 1 : t - 1, lp = s == 0 ? H : DH;                    \
                    const FT *hp = s == 0 ? hx + q : Y + tp * r->N * DH + d * H;                                       \
                    const FT *cp = s == 0 ? (cx ? cx + q : NULL) : C ? C + tp * NH : NULL;                             \
                    GEMM(k, 0, 1, r->N, GH, H, hp, lp, Wh, H, 0, ws, GH);                                              \
                    sg__rnn_cell_##S(r, G + t * r->N * GH, ws, bh, hp, lp, cp, C ? C + t * NH : NULL,                  \
                                     Y + t * r->N * DH + d * H, DH);                                                   \
                }                                                                                                      \
                if (hy) {                                                                                              \
                    int64_t tl = d ? 0 : r->T - 1;                                                                     \
                    for (i = 0; i < r->N; i++)                                                                         \
                        for (j = 0; j < H; j++) {                                                                      \
                            hy[q + i * H + j] = Y[(tl * r->N + i) * DH + d * H + j];                                   \
                            if (cy) cy[q + i * H + j] = C[tl * NH + i * H + j];                                        \
                        }                                                                                              \
                }                                                                                                      \
            }                                                                                                          \
            if (drop && l < r->L - 1) /* the Dropout operator's mask and product */                                    \
                sg__dropout_fwd_##S(Y, st + sg__rnn_m(r, l) + Tn * DH, st + sg__rnn_m(r, l), NULL, NULL, Tn * DH,      \
                                    Tn * DH, 1, 1.0 - r->p, k->rng);                                                   \
        }                                                                                                              \
    }                                                                                                                  \
    /* Backward through time. gy, ghy, gcy: the gradients of the outputs (NULL:                                        \
     * none); dx, dw, dhx, dcx (NULL: not wanted) are accumulated into (the                                            \
     * caller zeroes those with write requests). */                                                                    \
    SG__INTERNAL void sg__rnn_bwd_##S(sg__kctx *k, const sg__rnn *r, const FT *x, const FT *w, const FT *hx,           \
                                      const FT *cx, const FT *y, const FT *gy, const FT *ghy, const FT *gcy,           \
                                      FT *dx, FT *dw, FT *dhx, FT *dcx) {                                              \
        const FT *st = (const FT *)k->state, *dY = gy;                                                                 \
        FT *ws = (FT *)k->ws;                                                                                          \
        int64_t l, d, s, i, j, n, Tn = r->T * r->N, H = r->H, GH = r->G * r->H, DH = r->D * r->H, NH = r->N * r->H;    \
        int64_t RH = r->mode == SG__RNN_GRU ? 2 * H : GH; /* h2h gradient rows taken from the gate gradients */        \
        FT *dG = ws + r->N * GH, *dHN = dG + Tn * GH, *dYa = dHN + Tn * H, *dYb = dYa + Tn * DH, *dh = dYb + Tn * DH;  \
        FT *dc = dh + NH, *dh2 = dc + NH;                                                                              \
        int drop = st[0] != 0;                                                                                         \
        if (!dY) {                                                                                                     \
            memset(dYa, 0, (size_t)(Tn * DH) * sizeof(FT));                                                            \
            dY = dYa;                                                                                                  \
        }                                                                                                              \
        for (l = r->L - 1; l >= 0; l--) {                                                                              \
            int64_t in = l == 0 ? r->I : DH;                                                                           \
            const FT *X = l == 0 ? x : st + (drop ? sg__rnn_m(r, l - 1) + Tn * DH : sg__rnn_y(r, l - 1));              \
            const FT *Y = l == r->L - 1 ? y : st + sg__rnn_y(r, l);                                                    \
            FT *dX = l == 0 ? dx : (dY == dYb ? dYa : dYb);                                                            \
            if (l > 0) memset(dX, 0, (size_t)(Tn * in) * sizeof(FT));                                                  \
            for (d = 0; d < r->D; d++) {                                                                               \
                int64_t wo, bo, q = (l * r->D + d) * NH;                                                               \
                const FT *Wx, *Wh, *G = st + sg__rnn_g(r, l, d), *C = r->mode <= SG__RNN_LSTM ? G + Tn * GH : NULL;    \
                sg__rnn_woff(r, l, d, &wo, &bo);                                                                       \
                Wx = w + wo; Wh = Wx + GH * in;                                                                        \
                for (i = 0; i < NH; i++) {                                                                             \
                    dh[i] = ghy ? ghy[q + i] : (FT)0;                                                                  \
                    dc[i] = gcy ? gcy[q + i] : (FT)0;                                                                  \
                }                                                                                                      \
                for (s = r->T - 1; s >= 0; s--) {                                                                      \
                    int64_t t = d ? r->T - 1 - s : s, tp = d ? t + 1 : t - 1, lp = s == 0 ? H : DH;                    \
                    const FT *hp = s == 0 ? hx + q : Y + tp * r->N * DH + d * H;                                       \
                    const FT *cp = s == 0 ? (cx ? cx + q : NULL) : C ? C + tp * NH : NULL;                             \
                    const FT *g = G + t * r->N * GH;                                                                   \
                    FT *dg = dG + t * r->N * GH, *dn = dHN + t * NH;                                                   \
                    for (n = 0; n < r->N; n++)                                                                         \
                        for (j = 0; j < H; j++) {                                                                      \
                            const FT *gn = g + n * GH;                                                                 \
                            FT *dgn = dg + n * GH;                                                                     \
                            FT gh = dh[n * H + j] + dY[(t * r->N + n) * DH + d * H + j];                               \
                            if (r->mode == SG__RNN_LSTM) {                                                             \
                                FT in_ = gn[j], f = gn[H + j], c = gn[2 * H + j], o = gn[3 * H + j];                   \
                                FT cn = C[t * NH + n * H + j], tc = sg__mtanh_##S(cn);                                 \
                                FT dcv = dc[n * H + j] + gh * o * ((FT)1 - tc * tc);                                   \
                                dgn[j] = dcv * c * in_ * ((FT)1 - in_);                                                \
                                dgn[H + j] = dcv * cp[n * H + j] * f * ((FT)1 - f);                                    \
                                dgn[2 * H + j] = dcv * in_ * ((FT)1 - c * c);                                          \
                                dgn[3 * H + j] = gh * tc * o * ((FT)1 - o);                                            \
                                dc[n * H + j] = dcv * f;                                                               \
                            } else if (r->mode == SG__RNN_GRU) {                                                       \
                                FT rr = gn[j], z = gn[H + j], c = gn[2 * H + j], hn = C[t * NH + n * H + j];           \
                                FT dcand = gh * ((FT)1 - z) * ((FT)1 - c * c);                                         \
                                dgn[2 * H + j] = dcand;                                                                \
                                dn[n * H + j] = dcand * rr;                                                            \
                                dgn[j] = dcand * hn * rr * ((FT)1 - rr);                                               \
                                dgn[H + j] = gh * (hp[n * lp + j] - c) * z * ((FT)1 - z);                              \
                                dh2[n * H + j] = gh * z;                                                               \
                            } else {                                                                                   \
                                FT hv = Y[(t * r->N + n) * DH + d * H + j];                                            \
                                dgn[j] = gh * (r->mode == SG__RNN_RELU ? (hv > 0 ? (FT)1 : (FT)0) : (FT)1 - hv * hv);  \
                            }                                                                                          \
                        }                                                                                              \
                    if (r->mode == SG__RNN_GRU) {                                                                      \
                        GEMM(k, 0, 0, r->N, H, 2 * H, dg, GH, Wh, H, 1, dh2, H);                                       \
                        GEMM(k, 0, 0, r->N, H, H, dn, H, Wh + 2 * H * H, H, 1, dh2, H);                                \
                        memcpy(dh, dh2, (size_t)NH * sizeof(FT));                                                      \
                    } else GEMM(k, 0, 0, r->N, H, GH, dg, GH, Wh, H, 0, dh, H);                                        \
                }                                                                                                      \
                if (dhx) for (i = 0; i < NH; i++) dhx[q + i] += dh[i];                                                 \
                if (dcx) for (i = 0; i < NH; i++) dcx[q + i] += dc[i];                                                 \
                if (dw) {                                                                                              \
                    FT *dWx = dw + wo, *dWh = dWx + GH * in, *dbx = dw + bo, *dbh = dbx + GH;                          \
                    int64_t t0 = d ? r->T - 1 : 0; /* the step whose h_prev is the initial state */                    \
                    GEMM(k, 1, 0, GH, in, Tn, dG, GH, X, in, 1, dWx, in);                                              \
                    GEMM(k, 1, 0, RH, H, r->N, dG + t0 * r->N * GH, GH, hx + q, H, 1, dWh, H);                         \
                    if (r->mode == SG__RNN_GRU)                                                                        \
                        GEMM(k, 1, 0, H, H, r->N, dHN + t0 * NH, H, hx + q, H, 1, dWh + 2 * H * H, H);                 \
                    if (r->T > 1) {                                                                                    \
                        int64_t gs = d ? 0 : 1, hs = d ? 1 : 0; /* steps gs.. take h_prev from steps hs.. */           \
                        const FT *Yp = Y + hs * r->N * DH + d * H;                                                     \
                        GEMM(k, 1, 0, RH, H, (r->T - 1) * r->N, dG + gs * r->N * GH, GH, Yp, DH, 1, dWh, H);           \
                        if (r->mode == SG__RNN_GRU)                                                                    \
                            GEMM(k, 1, 0, H, H, (r->T - 1) * r->N, dHN + gs * NH, H, Yp, DH, 1, dWh + 2 * H * H, H);   \
                    }                                                                                                  \
                    for (i = 0; i < Tn; i++)                                                                           \
                        for (j = 0; j < GH; j++) {                                                                     \
                            dbx[j] += dG[i * GH + j];                                                                  \
                            dbh[j] += j >= RH ? dHN[i * H + j - RH] : dG[i * GH + j];                                  \
                        }                                                                                              \
                }                                                                                                      \
                if (dX) GEMM(k, 0, 0, Tn, in, GH, dG, GH, Wx, in, 1, dX, in);                                          \
            }                                                                                                          \
            if (l > 0) {                                                                                               \
                if (drop) sg__dropout_bwd_##S(dX, st + sg__rnn_m(r, l - 1), dX, NULL, NULL, Tn * DH, Tn * DH, 1, 0);   \
                dY = dX;                                                                                               \
            }                                                                                                          \
        }                                                                                                              \
    }
SG__RNN_KERNELS(float, f, sg__gemm_f)
SG__RNN_KERNELS(double, d, sg__gemm_d)
#undef SG__RNN_KERNELS
SG__INTERNAL void sg__rnn_cfg(const sg__node *n, const sg_shape *data, sg__rnn *r) {
    r->T = data->dims[0];
    r->N = data->dims[1];
    r->I = data->dims[2];
    r->H = SG__PI(n, "state_size");
    r->L = SG__PI(n, "num_layers");
    r->D = SG__PI(n, "bidirectional") ? 2 : 1;
    r->mode = (int)SG__PI(n, "mode");
    r->G = sg__rnn_gates(r->mode);
    r->p = SG__PF(n, "p");
}
/* State and workspace bytes (sized for float64, the larger dtype). Sizes past
 * 1e18 bytes come back as SIZE_MAX / 2: bind reports the state as too large;
 * no workspace size is aligned past SIZE_MAX. */
SG__INTERNAL size_t sg__rnn_bytes(const sg__node *n, const sg_shape *data, int state) {
    sg__rnn r;
    double est;
    if (data->ndim != 3) return 0;
    sg__rnn_cfg(n, data, &r);
    est = (double)r.T * r.N * (r.D * r.H * (r.L + 2.0) + (r.G + 1.0) * r.H * r.L * r.D) + 3.0 * r.N * r.H * (r.G + 3.0);
    if (est * sizeof(double) > 1e18 || est * sizeof(double) > (double)((size_t)-1)) return ((size_t)-1) / 2;
    return (size_t)(state ? sg__rnn_state_len(&r) : sg__rnn_ws_len(&r)) * sizeof(double);
}
SG__INTERNAL size_t sg__rnn_state(const sg__node *n, const sg_shape *in, const sg_shape *out) {
    (void)out;
    return sg__rnn_bytes(n, &in[0], 1);
}
SG__INTERNAL size_t sg__rnn_ws(const sg__node *n, const sg_shape *in, const sg_shape *out) {
    (void)out;
    return sg__rnn_bytes(n, &in[0], 0);
}
/* What MXNet 1.9.1's native CPU operator refuses, and the dtypes (float32 or float64, one for all). */
SG__INTERNAL int sg__rnn_ready(sg__kctx *k, const sg__node *n, sg_ndarray *const *in) {
    if (!sg__param(n, "projection_size")->none)
        return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (RNN): No training support for LSTM with projection on CPU currently.",
                          n->name);
    if (!sg__param(n, "lstm_state_clip_min")->none || !sg__param(n, "lstm_state_clip_max")->none)
        return sg__seterr(k->g, SG_ERR_UNSUPPORTED,
                          "Operator %s (RNN): LSTM state clipping is only supported for GPU with CuDNN later than 7.2.1",
                          n->name);
    if (SG__PI(n, "use_sequence_length"))
        return sg__seterr(k->g, SG_ERR_UNSUPPORTED,
                          "Operator %s (RNN): RNN use_sequence_length option is only available for cuDNN version >= 7.2", n->name);
    if (SG__PF(n, "p") >= 1.0)
        return sg__seterr(k->g, SG_ERR_UNSUPPORTED, "Operator %s (RNN): unsupported dropout value, should be 0 <= dropout < 1",
                          n->name);
    return sg__nn_same(k, n, in, SG__PI(n, "mode") == SG__RNN_LSTM ? 4 : 3);
}
SG__INTERNAL int sg__rnn_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    sg__rnn r;
    int st, no = sg__node_num_outputs(n), drop;
    if ((st = sg__rnn_ready(k, n, in)) != SG_OK) return st;
    sg__rnn_cfg(n, &in[0]->shape, &r);
    drop = k->is_train && r.p > 0 && r.L > 1;
    if (!k->state || !k->ws) return sg__seterr(k->g, SG_ERR_ARG, "Operator %s (RNN): no state or workspace", n->name);
    if (in[0]->dtype == SG_FLOAT64)
        sg__rnn_fwd_d(k, &r, SG__D(in[0]), SG__D(in[1]), SG__D(in[2]), r.mode == SG__RNN_LSTM ? SG__D(in[3]) : NULL,
                      SG__D(out[0]), no > 1 ? SG__D(out[1]) : NULL, no > 2 ? SG__D(out[2]) : NULL, drop);
    else
        sg__rnn_fwd_f(k, &r, SG__F(in[0]), SG__F(in[1]), SG__F(in[2]), r.mode == SG__RNN_LSTM ? SG__F(in[3]) : NULL,
                      SG__F(out[0]), no > 1 ? SG__F(out[1]) : NULL, no > 2 ? SG__F(out[2]) : NULL, drop);
    return SG_OK;
}
SG__INTERNAL int sg__rnn_bwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *og, sg_ndarray *const *in,
                             sg_ndarray *const *out, sg_ndarray *const *ig, const int *req) {
    sg__rnn r;
    int st, no = sg__node_num_outputs(n), lstm;
    sg_ndarray *g1, *g2, *dc;
    if ((st = sg__rnn_ready(k, n, in)) != SG_OK) return st;
    sg__rnn_cfg(n, &in[0]->shape, &r);
    lstm = r.mode == SG__RNN_LSTM;
    sg__nn_no_og(n, ig, req); /* the gradients with write requests start at zero: the kernel accumulates */
    g1 = no > 1 ? og[1] : NULL;
    g2 = no > 2 ? og[2] : NULL;
    dc = lstm ? ig[3] : NULL;
    if (!k->state || !k->ws) return sg__seterr(k->g, SG_ERR_ARG, "Operator %s (RNN): no state or workspace", n->name);
    if (in[0]->dtype == SG_FLOAT64)
        sg__rnn_bwd_d(k, &r, SG__D(in[0]), SG__D(in[1]), SG__D(in[2]), lstm ? SG__D(in[3]) : NULL, SG__D(out[0]),
                      og[0] ? SG__D(og[0]) : NULL, g1 ? SG__D(g1) : NULL, g2 ? SG__D(g2) : NULL,
                      ig[0] ? SG__D(ig[0]) : NULL, ig[1] ? SG__D(ig[1]) : NULL, ig[2] ? SG__D(ig[2]) : NULL,
                      dc ? SG__D(dc) : NULL);
    else
        sg__rnn_bwd_f(k, &r, SG__F(in[0]), SG__F(in[1]), SG__F(in[2]), lstm ? SG__F(in[3]) : NULL, SG__F(out[0]),
                      og[0] ? SG__F(og[0]) : NULL, g1 ? SG__F(g1) : NULL, g2 ? SG__F(g2) : NULL,
                      ig[0] ? SG__F(ig[0]) : NULL, ig[1] ? SG__F(ig[1]) : NULL, ig[2] ? SG__F(ig[2]) : NULL,
                      dc ? SG__F(dc) : NULL);
    return SG_OK;
}


/* ---------------------------------------------------------------------------
 * Optimizer updates: sgd_update, sgd_mom_update, adam_update
 * (src/operator/optimizer_op-inl.h). The output is the updated weight; the
 * state inputs (mom; mean, var) are auxiliary states updated in place.
 * clip(v, c) = min(max(v, -c), c) applies only when clip_gradient >= 0.
 * ------------------------------------------------------------------------- */
static const sg__pdef sg__p_sgd[] = {
    {"lr", SG__P_FLOAT, NULL, NULL, 0},
    {"wd", SG__P_FLOAT, "0", NULL, 0},
    {"rescale_grad", SG__P_FLOAT, "1", NULL, 0},
    {"clip_gradient", SG__P_FLOAT, "-1", NULL, 0},
    {"lazy_update", SG__P_BOOL, "True", NULL, 0},
};
static const sg__pdef sg__p_sgd_mom[] = {
    {"lr", SG__P_FLOAT, NULL, NULL, 0},
    {"momentum", SG__P_FLOAT, "0", NULL, 0},
    {"wd", SG__P_FLOAT, "0", NULL, 0},
    {"rescale_grad", SG__P_FLOAT, "1", NULL, 0},
    {"clip_gradient", SG__P_FLOAT, "-1", NULL, 0},
    {"lazy_update", SG__P_BOOL, "True", NULL, 0},
};
static const sg__pdef sg__p_adam[] = {
    {"lr", SG__P_FLOAT, NULL, NULL, 0},
    {"beta1", SG__P_FLOAT, "0.9", NULL, 0},
    {"beta2", SG__P_FLOAT, "0.999", NULL, 0},
    {"epsilon", SG__P_FLOAT, "1e-08", NULL, 0},
    {"wd", SG__P_FLOAT, "0", NULL, 0},
    {"rescale_grad", SG__P_FLOAT, "1", NULL, 0},
    {"clip_gradient", SG__P_FLOAT, "-1", NULL, 0},
    {"lazy_update", SG__P_BOOL, "True", NULL, 0},
};
SG__INTERNAL float sg__clipg(float v, float c) { return c >= 0 ? (v > c ? c : v < -c ? -c : v) : v; }
/* The three updates on float32 buffers (out may be w: in place). */
SG__INTERNAL void sg__sgd_run(float *out, const float *w, const float *g, int64_t n, float lr, float wd, float rs, float clip) {
    int64_t i;
    if (clip >= 0) for (i = 0; i < n; i++) out[i] = (1.f - lr * wd) * w[i] - lr * sg__clipg(rs * g[i], clip);
    else for (i = 0; i < n; i++) out[i] = (1.f - lr * wd) * w[i] - (lr * rs) * g[i];
}
SG__INTERNAL void sg__sgd_mom_run(float *out, const float *w, const float *g, float *mom, int64_t n, float lr, float m,
                                  float wd, float rs, float clip) {
    int64_t i;
    for (i = 0; i < n; i++) {
        mom[i] = m * mom[i] - lr * wd * w[i] - lr * sg__clipg(rs * g[i], clip);
        out[i] = w[i] + mom[i];
    }
}
SG__INTERNAL void sg__adam_run(float *out, const float *w, const float *g, float *mean, float *var, int64_t n, float lr,
                               float b1, float b2, float eps, float wd, float rs, float clip) {
    int64_t i;
    for (i = 0; i < n; i++) {
        float gr = sg__clipg(rs * g[i] + wd * w[i], clip);
        mean[i] = b1 * mean[i] + (1.f - b1) * gr;
        var[i] = b2 * var[i] + (1.f - b2) * gr * gr;
        out[i] = w[i] - lr * mean[i] / (sqrtf(var[i]) + eps);
    }
}
SG__INTERNAL int sg__opt_fwd(sg__kctx *k, const sg__node *n, sg_ndarray *const *in, sg_ndarray *const *out) {
    const char *op = n->op->name;
    int64_t cnt = in[0]->size;
    int st;
    if ((st = sg__need_f32(k, n, in, n->nin)) != SG_OK) return st;
    if (!strcmp(op, "sgd_update"))
        sg__sgd_run(SG__F(out[0]), SG__F(in[0]), SG__F(in[1]), cnt, (float)SG__PF(n, "lr"), (float)SG__PF(n, "wd"),
                    (float)SG__PF(n, "rescale_grad"), (float)SG__PF(n, "clip_gradient"));
    else if (!strcmp(op, "sgd_mom_update"))
        sg__sgd_mom_run(SG__F(out[0]), SG__F(in[0]), SG__F(in[1]), SG__F(in[2]), cnt, (float)SG__PF(n, "lr"),
                        (float)SG__PF(n, "momentum"), (float)SG__PF(n, "wd"), (float)SG__PF(n, "rescale_grad"),
                        (float)SG__PF(n, "clip_gradient"));
    else
        sg__adam_run(SG__F(out[0]), SG__F(in[0]), SG__F(in[1]), SG__F(in[2]), SG__F(in[3]), cnt, (float)SG__PF(n, "lr"),
                     (float)SG__PF(n, "beta1"), (float)SG__PF(n, "beta2"), (float)SG__PF(n, "epsilon"),
                     (float)SG__PF(n, "wd"), (float)SG__PF(n, "rescale_grad"), (float)SG__PF(n, "clip_gradient"));
    return SG_OK;
}
SG__INTERNAL int sg__opt_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    return sg__elemwise_shape(c, n, in, out);
}

/* ---- dtype (and MakeLoss shape) rules whose direction MXNet 1.9.1 limits ---- */
/* PoolingType: the output takes the data's dtype; nothing flows back. */
SG__INTERNAL int sg__pool_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    (void)n;
    if (in[0] >= 0) { int i; for (i = 0; i < c->nout; i++) out[i] = in[0]; }
    return SG_OK;
}
/* DropoutProp / MakeLossProp::InferType: the data's dtype is required (an
 * error while it is unknown, as in MXNet) and given to every output. */
SG__INTERNAL int sg__need_in_type(sg__infer *c, const sg__node *n, int *in, int *out, const char *msg) {
    int i;
    if (in[0] < 0) return sg__seterr(c->g, SG_ERR_TYPE, "Error in operator %s (%s): %s", n->name, n->op->name, msg);
    for (i = 0; i < c->nout; i++) out[i] = in[0];
    return SG_OK;
}
SG__INTERNAL int sg__dropout_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    return sg__need_in_type(c, n, in, out, "input type to dropout is not specified.");
}
SG__INTERNAL int sg__makeloss_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    return sg__need_in_type(c, n, in, out, "Input must have specified type");
}
/* MakeLossProp::InferShape: the output is the data's shape (unknown dims
 * included) once its ndim is known; the output never fills the data. */
SG__INTERNAL int sg__makeloss_shape(sg__infer *c, const sg__node *n, sg_shape *in, sg_shape *out) {
    (void)c; (void)n;
    if (in[0].ndim >= 0) out[0] = in[0];
    return SG_OK;
}
/* RNNType: the data's dtype is required and given to every input (a known
 * sequence_length may differ) and output. */
SG__INTERNAL int sg__rnn_type(sg__infer *c, const sg__node *n, int *in, int *out) {
    int d = in[0], i, nchk = c->nin - (SG__PI(n, "use_sequence_length") ? 1 : 0), st;
    if (d < 0) return sg__seterr(c->g, SG_ERR_TYPE, "Error in operator %s (RNN): First input must have specified type", n->name);
    for (i = 1; i < c->nin; i++) {
        if (in[i] < 0) in[i] = d;
        else if (i < nchk && (st = sg__type_assign(c, n, &in[i], i, d)) != SG_OK) return st;
    }
    for (i = 0; i < c->nout; i++) out[i] = d;
    return SG_OK;
}

/* ---------------------------------------------------------------------------
 * The operator table: one entry per operator; adding an operator touches only
 * its block above and its line here.
 * ------------------------------------------------------------------------- */
#define SG__OP(name, aliases, P, flags, inputs, shape, type, fwd, bwd, inplace)                                    \
    {name, aliases, P, SG__NP(P), flags, inputs, NULL, 1, NULL, NULL, NULL, 0, NULL, NULL, NULL, shape, type, NULL, fwd, \
     bwd, NULL, inplace, 0, NULL}
#define SG__OP0(name, aliases, flags, inputs, shape, type, fwd, bwd, inplace)                                          \
    {name, aliases, NULL, 0, (flags) | SG__OF_ANYATTR, inputs, NULL, 1, NULL, NULL, NULL, 0, NULL, NULL, NULL, shape,   \
     type, NULL, fwd, bwd, NULL, inplace, 0, NULL}
#define SG__EBIN(name, aliases) SG__OP0(name, aliases, 0, "lhs rhs", sg__elemwise_shape, NULL, sg__ebin_fwd, sg__ebin_bwd, 0)
#define SG__UNARY(name) SG__OP0(name, "", 0, "data", sg__elemwise_shape, NULL, sg__unary_fwd, sg__unary_bwd, 1)
#define SG__SCALAR(name, alias) \
    SG__OP(name, alias, sg__p_scalar, 0, "data", sg__elemwise_shape, sg__scalar_type, sg__scalar_fwd, sg__scalar_bwd, 1)
#define SG__BCAST(name, aliases) \
    SG__OP0(name, aliases, 0, "lhs rhs", sg__broadcast_shape, NULL, sg__bcast_fwd, sg__bcast_bwd, 0)

static const sg__opdef sg__ops[] = {
    /* elementwise binary */
    SG__EBIN("elemwise_add", "_add _plus _Plus"),
    SG__EBIN("elemwise_sub", "_sub _minus _Minus"),
    SG__EBIN("elemwise_mul", "_mul _Mul"),
    SG__EBIN("elemwise_div", "_div _Div"),
    SG__EBIN("_power", "_Power _pow"),
    SG__EBIN("_maximum", "_Maximum"),
    SG__EBIN("_minimum", "_Minimum"),
    SG__EBIN("_equal", "_Equal"),
    SG__EBIN("_not_equal", "_Not_Equal"),
    SG__EBIN("_greater", "_Greater"),
    SG__EBIN("_greater_equal", "_Greater_Equal"),
    SG__EBIN("_lesser", "_Lesser"),
    SG__EBIN("_lesser_equal", "_Lesser_Equal"),
    /* scalar family */
    SG__SCALAR("_plus_scalar", "_PlusScalar"),
    SG__SCALAR("_minus_scalar", "_MinusScalar"),
    SG__SCALAR("_rminus_scalar", "_RMinusScalar"),
    SG__SCALAR("_mul_scalar", "_MulScalar"),
    SG__SCALAR("_div_scalar", "_DivScalar"),
    SG__SCALAR("_rdiv_scalar", "_RDivScalar"),
    SG__SCALAR("_power_scalar", "_PowerScalar"),
    SG__SCALAR("_rpower_scalar", "_RPowerScalar"),
    SG__SCALAR("_maximum_scalar", "_MaximumScalar"),
    SG__SCALAR("_minimum_scalar", "_MinimumScalar"),
    SG__SCALAR("_equal_scalar", "_EqualScalar"),
    SG__SCALAR("_not_equal_scalar", "_NotEqualScalar"),
    SG__SCALAR("_greater_scalar", "_GreaterScalar"),
    SG__SCALAR("_greater_equal_scalar", "_GreaterEqualScalar"),
    SG__SCALAR("_lesser_scalar", "_LesserScalar"),
    SG__SCALAR("_lesser_equal_scalar", "_LesserEqualScalar"),
    /* broadcasting binary */
    SG__BCAST("broadcast_add", "broadcast_plus"),
    SG__BCAST("broadcast_sub", "broadcast_minus"),
    SG__BCAST("broadcast_mul", ""),
    SG__BCAST("broadcast_div", ""),
    /* linear algebra */
    SG__OP("dot", "", sg__p_dot, 0, "lhs rhs", sg__dot_shape, NULL, sg__dot_fwd, sg__dot_bwd, 0),
    SG__OP("batch_dot", "", sg__p_dot, 0, "lhs rhs", sg__batch_dot_shape, NULL, sg__batch_dot_fwd, sg__batch_dot_bwd, 0),
    SG__OP("FullyConnected", "", sg__p_fc, SG__OF_NOBIAS, "data weight bias", sg__fc_shape, NULL, sg__fc_fwd, sg__fc_bwd, 0),
    /* activations */
    SG__OP("Activation", "", sg__p_act, 0, "data", sg__elemwise_shape, NULL, sg__act_fwd, sg__act_bwd, 1),
    SG__UNARY("relu"),
    SG__UNARY("sigmoid"),
    SG__UNARY("tanh"),
    {"LeakyReLU", "", sg__p_leaky, SG__NP(sg__p_leaky), 0, "data", sg__leaky_inputs, 1, sg__leaky_nout, sg__all_visible,
     "output mask", 0, NULL, sg__leaky_compose, NULL, sg__leaky_shape, NULL, NULL, sg__leaky_fwd, sg__leaky_bwd, NULL, 0, 0, NULL},
    /* losses and softmax */
    SG__OP("SoftmaxOutput", "Softmax", sg__p_softmaxout, SG__OF_LOSS, "data label", sg__softmaxout_shape,
           sg__softmaxout_type, sg__softmaxout_fwd, sg__softmaxout_bwd, 0),
    {"softmax", "", sg__p_softmax, SG__NP(sg__p_softmax), 0, "data", sg__softmax_inputs, 1, NULL, NULL, NULL, 0, NULL,
     NULL, NULL, sg__softmax_shape, sg__softmax_type, NULL, sg__softmax_fwd, sg__softmax_bwd, NULL, 0, 0, NULL},
    {"log_softmax", "", sg__p_softmax, SG__NP(sg__p_softmax), 0, "data", sg__softmax_inputs, 1, NULL, NULL, NULL, 0,
     NULL, NULL, NULL, sg__softmax_shape, sg__softmax_type, NULL, sg__softmax_fwd, sg__softmax_bwd, NULL, 0, 0, NULL},
    SG__OP("LinearRegressionOutput", "", sg__p_regression, SG__OF_LOSS, "data label", sg__regression_shape, NULL,
           sg__regression_fwd, sg__regression_bwd, 0),
    SG__OP("LogisticRegressionOutput", "", sg__p_regression, SG__OF_LOSS, "data label", sg__regression_shape, NULL,
           sg__regression_fwd, sg__regression_bwd, 0),
    SG__OP("MAERegressionOutput", "", sg__p_regression, SG__OF_LOSS, "data label", sg__regression_shape, NULL,
           sg__regression_fwd, sg__regression_bwd, 0),
    SG__OP("MakeLoss", "make_loss", sg__p_makeloss, SG__OF_LOSS, "data", sg__makeloss_shape, sg__makeloss_type,
           sg__makeloss_fwd, sg__makeloss_bwd, 0),
    /* convolution family */
    {"Convolution", "", sg__p_conv, SG__NP(sg__p_conv), SG__OF_NOBIAS, "data weight bias", NULL, 1, NULL, NULL, NULL, 0,
     NULL, NULL, NULL, sg__conv_shape, sg__softmaxout_type, NULL, sg__conv_fwd, sg__conv_bwd, sg__conv_ws, 0, 1, NULL},
    {"Deconvolution", "", sg__p_deconv, SG__NP(sg__p_deconv), SG__OF_NOBIAS, "data weight bias", NULL, 1, NULL, NULL,
     NULL, 0, NULL, NULL, NULL, sg__deconv_shape, sg__softmaxout_type, NULL, sg__deconv_fwd, sg__deconv_bwd, sg__deconv_ws, 0, 1, NULL},
    {"Pooling", "", sg__p_pool, SG__NP(sg__p_pool), 0, "data", NULL, 1, NULL, NULL, NULL, 0, NULL, NULL, NULL,
     sg__pool_shape, sg__pool_type, sg__pool_mkldnn_rows, sg__pool_fwd, sg__pool_bwd, NULL, 0, 0, NULL},
    {"BatchNorm", "", sg__p_bn, SG__NP(sg__p_bn), 0, "data gamma beta moving_mean moving_var", NULL, 3, NULL, sg__bn_nvis,
     "output mean var", (1u << 3) | (1u << 4), NULL, sg__bn_compose, NULL, sg__bn_shape, sg__bn_type, NULL, sg__bn_fwd,
     sg__bn_bwd, NULL, 0, 0, NULL},
    {"Dropout", "", sg__p_dropout, SG__NP(sg__p_dropout), 0, "data", NULL, 2, NULL, NULL, "output mask", 0, NULL, NULL,
     NULL, sg__dropout_shape, sg__dropout_type, NULL, sg__dropout_fwd, sg__dropout_bwd, NULL, 0, 0, NULL},
    /* shape manipulation */
    SG__OP0("Flatten", "flatten", 0, "data", sg__flatten_shape, NULL, sg__copy_fwd, sg__copy_bwd, 1),
    SG__OP("Reshape", "reshape", sg__p_reshape, 0, "data", sg__reshape_shape, NULL, sg__copy_fwd, sg__copy_bwd, 1),
    SG__OP("transpose", "", sg__p_transpose, 0, "data", sg__transpose_shape, NULL, sg__transpose_fwd, sg__transpose_bwd, 0),
    SG__OP("expand_dims", "", sg__p_expand_dims, 0, "data", sg__expand_dims_shape, NULL, sg__copy_fwd, sg__copy_bwd, 1),
    SG__OP("broadcast_to", "", sg__p_broadcast_to, 0, "data", sg__broadcast_to_shape, NULL, sg__broadcast_to_fwd,
           sg__broadcast_to_bwd, 0),
    SG__OP("Concat", "concat", sg__p_concat, SG__OF_VARARG, "", sg__concat_shape, NULL, sg__concat_fwd, sg__concat_bwd, 0),
    {"SliceChannel", "split", sg__p_slicechannel, SG__NP(sg__p_slicechannel), 0, "data", NULL, 1, sg__slicechannel_nout,
     sg__all_visible, NULL, 0, NULL, NULL, NULL, sg__slicechannel_shape, NULL, NULL, sg__slicechannel_fwd,
     sg__slicechannel_bwd, NULL, 0, 1, NULL},
    SG__OP("slice_axis", "", sg__p_slice_axis, 0, "data", sg__slice_axis_shape, NULL, sg__slice_axis_fwd,
           sg__slice_axis_bwd, 0),
    /* reductions */
    SG__OP("sum", "sum_axis", sg__p_reduce, 0, "data", sg__reduce_shape, NULL, sg__reduce_fwd, sg__reduce_bwd, 0),
    SG__OP("mean", "", sg__p_reduce, 0, "data", sg__reduce_shape, NULL, sg__reduce_fwd, sg__reduce_bwd, 0),
    SG__OP("max", "max_axis", sg__p_reduce, 0, "data", sg__reduce_minmax_shape, NULL, sg__reduce_fwd, sg__reduce_bwd, 0),
    SG__OP("min", "min_axis", sg__p_reduce, 0, "data", sg__reduce_minmax_shape, NULL, sg__reduce_fwd, sg__reduce_bwd, 0),
    /* type cast and unary math */
    SG__OP("Cast", "cast", sg__p_cast, 0, "data", sg__elemwise_shape, sg__cast_type, sg__cast_fwd, sg__cast_bwd, 0),
    SG__UNARY("sin"),
    SG__UNARY("cos"),
    SG__UNARY("exp"),
    SG__UNARY("log"),
    SG__UNARY("sqrt"),
    SG__UNARY("square"),
    SG__UNARY("abs"),
    SG__UNARY("negative"),
    SG__OP("clip", "", sg__p_clip, 0, "data", sg__elemwise_shape, NULL, sg__clip_fwd, sg__clip_bwd, 1),
    /* indexing, creation, gradient control */
    SG__OP("Embedding", "", sg__p_embedding, 0, "data weight", sg__embedding_shape, sg__embedding_type,
           sg__embedding_fwd, sg__embedding_bwd, 0),
    SG__OP("_zeros", "", sg__p_init, 0, "", sg__init_shape, sg__init_type, sg__init_fwd, NULL, 0),
    SG__OP("_ones", "", sg__p_init, 0, "", sg__init_shape, sg__init_type, sg__init_fwd, NULL, 0),
    SG__OP0("BlockGrad", "stop_gradient", SG__OF_LOSS, "data", sg__elemwise_shape, NULL, sg__copy_fwd, sg__blockgrad_bwd, 1),
    SG__OP0("_copy", "identity", 0, "data", sg__elemwise_shape, NULL, sg__copy_fwd, sg__copy_bwd, 1),
    SG__OP("add_n", "ElementWiseSum", sg__p_add_n, SG__OF_VARARG, "", sg__elemwise_shape, NULL, sg__add_n_fwd,
           sg__add_n_bwd, 0),
    {"L2Normalization", "", sg__p_l2norm, SG__NP(sg__p_l2norm), 0, "data", NULL, 2, NULL, NULL, "output norm", 0, NULL,
     NULL, NULL, sg__l2norm_shape, NULL, NULL, sg__l2norm_fwd, sg__l2norm_bwd, NULL, 0, 0, NULL},
    SG__OP("smooth_l1", "", sg__p_smooth_l1, 0, "data", sg__elemwise_shape, NULL, sg__smooth_l1_fwd, sg__smooth_l1_bwd, 0),
    /* recurrent */
    {"RNN", "", sg__p_rnn, SG__NP(sg__p_rnn), 0, "", sg__rnn_inputs, 1, sg__rnn_nout, sg__all_visible,
     "output state_output statecell_output", 0, NULL, NULL, NULL, sg__rnn_shape, sg__rnn_type, NULL, sg__rnn_fwd,
     sg__rnn_bwd, sg__rnn_ws, 0, 0, sg__rnn_state},
    /* optimizer updates */
    SG__OP("sgd_update", "", sg__p_sgd, 0, "weight grad", sg__opt_shape, NULL, sg__opt_fwd, NULL, 1),
    {"sgd_mom_update", "", sg__p_sgd_mom, SG__NP(sg__p_sgd_mom), 0, "weight grad mom", NULL, 1, NULL, NULL, NULL,
     1u << 2, NULL, NULL, NULL, sg__opt_shape, NULL, NULL, sg__opt_fwd, NULL, NULL, 1, 0, NULL},
    {"adam_update", "", sg__p_adam, SG__NP(sg__p_adam), 0, "weight grad mean var", NULL, 1, NULL, NULL, NULL,
     (1u << 2) | (1u << 3), NULL, NULL, NULL, sg__opt_shape, NULL, NULL, sg__opt_fwd, NULL, NULL, 1, 0, NULL},
};
#define SG__NOPS ((int)(sizeof(sg__ops) / sizeof(sg__ops[0])))

SG__INTERNAL const sg__opdef *sg__op_lookup(const char *name) {
    int i;
    size_t nl = strlen(name);
    for (i = 0; i < SG__NOPS; i++)
        if (!strcmp(sg__ops[i].name, name)) return &sg__ops[i];
    for (i = 0; i < SG__NOPS; i++) {
        const char *p = sg__ops[i].aliases;
        while (p && *p) {
            const char *e = strchr(p, ' ');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l == nl && !strncmp(p, name, l)) return &sg__ops[i];
            p = e ? e + 1 : NULL;
        }
    }
    return NULL;
}
SG__DEF int sg_op_exists(const char *op) { return op && sg__op_lookup(op) != NULL; }
SG__DEF int sg_op_count(void) { return SG__NOPS; }
SG__DEF const char *sg_op_name(int i) { return (i >= 0 && i < SG__NOPS) ? sg__ops[i].name : NULL; }

/* ========================================================================== */
/* 5. Inference                                                               */
/* ========================================================================== */
/* One pass for shapes and dtypes, as src/executor/infer_graph_attr_pass.cc:
 * seed the given values, then the variables' __shape__ / __dtype__, then sweep
 * the nodes forward and backward, each operator filling what it can of its
 * inputs and outputs, until the number of unknowns stops falling. */

typedef struct sg__plan {
    sg__node **order;
    int n;
    int *base;    /* first entry id of node i (indexed by node->id) */
    int nentries;
} sg__plan;

SG__INTERNAL void sg__plan_free(sg__plan *p) {
    sg__free(p->order);
    sg__free(p->base);
    memset(p, 0, sizeof *p);
}
SG__INTERNAL int sg__plan_make(sg_graph *g, const sg_symbol *s, sg__plan *p) {
    int i, st;
    memset(p, 0, sizeof *p);
    if ((st = sg__dfs(g, s->heads, s->nheads, &p->order, &p->n)) != SG_OK) return st;
    p->base = (int *)sg__calloc((size_t)(p->n + 1), sizeof(int));
    if (!p->base) { sg__plan_free(p); return SG__NOMEM(g); }
    for (i = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        int j, no = sg__node_num_outputs(t);
        t->id = i;
        p->base[i] = p->nentries;
        if (t->op && !t->composed) {
            sg__plan_free(p);
            return sg__seterr(g, SG_ERR_GRAPH, "Operator %s (%s) has no inputs yet (an atomic symbol; compose it first)",
                              t->name, t->op->name);
        }
        if (t->op && t->nin != sg__node_num_inputs(t)) {
            sg__plan_free(p);
            return sg__seterr(g, SG_ERR_GRAPH, "Operator %s (%s) has %d inputs, expected %d", t->name, t->op->name, t->nin,
                              sg__node_num_inputs(t));
        }
        for (j = 0; j < t->nin; j++)
            if (t->in[j].index < 0 || t->in[j].index >= sg__node_num_outputs(t->in[j].node)) {
                sg__plan_free(p);
                return sg__seterr(g, SG_ERR_GRAPH, "Operator %s: input %d refers to output %d of '%s', which has %d outputs",
                                  t->name, j, t->in[j].index, t->in[j].node->name, sg__node_num_outputs(t->in[j].node));
            }
        if (no < 1 || p->nentries > INT_MAX - no) { sg__plan_free(p); return sg__seterr(g, SG_ERR_GRAPH, "bad output count"); }
        p->nentries += no;
    }
    p->base[p->n] = p->nentries;
    return SG_OK;
}
#define SG__EID(p, e) ((p)->base[(e).node->id] + (e).index)

/* Parse a legacy shape text ("(2, 0)") from __shape__: 0 = unknown dim. */
SG__INTERNAL int sg__shape_from_text(const char *t, sg_shape *s) {
    long long v[SG_MAX_NDIM];
    int nd, none, i;
    if (sg__parse_tuple(t, &nd, v, &none) <= 0 || none) return 0;
    *s = sg__shape_unknown();
    if (nd == 0) return 1; /* () = unknown in legacy mode */
    s->ndim = nd;
    for (i = 0; i < nd; i++) s->dims[i] = v[i] <= 0 ? -1 : v[i];
    return 1;
}
/* Given user shapes: 0 and negative dims are unknown; ndim 0 is unknown. */
SG__INTERNAL sg_shape sg__shape_from_user(const sg_shape *u) {
    sg_shape s = sg__shape_unknown();
    int i;
    if (!u || u->ndim <= 0 || u->ndim > SG_MAX_NDIM) return s;
    s.ndim = u->ndim;
    for (i = 0; i < u->ndim; i++) s.dims[i] = u->dims[i] <= 0 ? -1 : u->dims[i];
    return s;
}

/* Entries whose shape (or dtype) is not fully known. */
SG__INTERNAL long sg__count_unknown(int is_shape, const sg_shape *sh, const int *ty, int n) {
    long c = 0;
    int i;
    for (i = 0; i < n; i++) c += is_shape ? !sg__shape_known(&sh[i]) : ty[i] < 0;
    return c;
}

/* A shape whose element count does not fit in int64 is an error, never a wrap. */
SG__INTERNAL int sg__check_overflow(sg_graph *g, const sg__node *t, const sg_shape *s, int n) {
    int i;
    for (i = 0; i < n; i++) {
        int64_t cnt;
        char b[256];
        if (!sg__shape_known(&s[i])) continue;
        if (sg_shape_size(&s[i], &cnt) == SG_ERR_OVERFLOW)
            return sg__seterr(g, SG_ERR_OVERFLOW, "Error in operator %s (%s): shape %s has more elements than fit in 64 bits",
                              t->name, t->op ? t->op->name : "variable", sg_shape_str(&s[i], b, sizeof b));
    }
    return SG_OK;
}

/* The shared pass. is_shape selects shapes (sh) or dtypes (ty). */
SG__INTERNAL int sg__infer_pass(sg_graph *g, const sg_symbol *s, int is_shape, int ngiven, const char *const *names,
                                const sg_shape *gshapes, const int *gtypes, int partial, sg_shape *arg, sg_shape *outs,
                                sg_shape *aux, int *targ, int *tout, int *taux, const sg__plan *ext, void **entries) {
    sg__plan p;
    sg_shape *sh = NULL, *tin = NULL, *tout2 = NULL;
    int *ty = NULL, *yin = NULL, *yout = NULL, st, i, j, maxio = 1, iter, narg = 0, naux = 0;
    long last, unk;
    sg__infer c;
    sg__buf miss = {NULL, 0, 0, 0};
    if ((st = sg__check_sym(g, s, is_shape ? "infer_shape" : "infer_type")) != SG_OK) return st;
    if (ngiven < 0 || (ngiven > 0 && (!names || (is_shape ? !gshapes : !gtypes))))
        return sg__seterr(g, SG_ERR_ARG, "infer: bad list of given values");
    if (ext) {
        p = *ext;
        for (i = 0; i < p.n; i++) p.order[i]->id = i;
    } else if ((st = sg__plan_make(g, s, &p)) != SG_OK) return st;
    for (i = 0; i < p.n; i++) {
        sg__node *t = p.order[i];
        int io = t->nin + sg__node_num_outputs(t);
        if (io > maxio) maxio = io;
    }
    c.g = g;
    if (is_shape) {
        sh = (sg_shape *)sg__calloc((size_t)p.nentries, sizeof(sg_shape));
        tin = (sg_shape *)sg__calloc((size_t)maxio, sizeof(sg_shape));
        tout2 = (sg_shape *)sg__calloc((size_t)maxio, sizeof(sg_shape));
        if (!sh || !tin || !tout2) { st = SG__NOMEM(g); goto done; }
        for (i = 0; i < p.nentries; i++) sh[i] = sg__shape_unknown();
    } else {
        ty = (int *)sg__calloc((size_t)p.nentries, sizeof(int));
        yin = (int *)sg__calloc((size_t)maxio, sizeof(int));
        yout = (int *)sg__calloc((size_t)maxio, sizeof(int));
        if (!ty || !yin || !yout) { st = SG__NOMEM(g); goto done; }
        for (i = 0; i < p.nentries; i++) ty[i] = -1;
    }
    /* seed the given values (any input variable, argument or auxiliary state) */
    for (j = 0; j < ngiven; j++) {
        int found = 0;
        if (!names[j]) { st = sg__seterr(g, SG_ERR_ARG, "infer: given name %d is NULL", j); goto done; }
        for (i = 0; i < p.n; i++) {
            sg__node *t = p.order[i];
            if (t->op || strcmp(t->name, names[j])) continue;
            found = 1;
            if (is_shape) {
                if (gshapes[j].ndim > SG_MAX_NDIM) { st = sg__seterr(g, SG_ERR_ARG, "infer_shape: %s has %d dims", names[j], gshapes[j].ndim); goto done; }
                sh[p.base[i]] = sg__shape_from_user(&gshapes[j]);
            } else {
                if (gtypes[j] >= 0 && !sg_dtype_name(gtypes[j])) { st = sg__seterr(g, SG_ERR_ARG, "infer_type: %s has unknown dtype code %d", names[j], gtypes[j]); goto done; }
                ty[p.base[i]] = gtypes[j];
            }
        }
        if (!found) {
            sg__buf b = {NULL, 0, 0, 0};
            for (i = 0; i < p.n; i++) if (!p.order[i]->op) { sg__buf_puts(&b, b.n ? ", " : ""); sg__buf_puts(&b, p.order[i]->name); }
            st = sg__seterr(g, SG_ERR_ARG, "%s: Keyword argument name %s not found. Candidate arguments: %s",
                            is_shape ? "infer_shape" : "infer_type", names[j], b.p ? b.p : "");
            sg__free(b.p);
            goto done;
        }
    }
    /* __shape__ / __dtype__ attributes fill what is still unknown. As MXNet's
     * InferAttr, a shape with an unknown dim counts as unknown: __shape__
     * replaces a partly given shape whole. */
    for (i = 0; i < p.n; i++) {
        sg__node *t = p.order[i];
        const char *a;
        if (t->op) continue;
        if (is_shape && !sg__shape_known(&sh[p.base[i]]) && (a = sg__attrs_get(&t->attrs, "__shape__")) != NULL) {
            if (!sg__shape_from_text(a, &sh[p.base[i]])) { st = sg__seterr(g, SG_ERR_PARAM, "variable %s: bad __shape__ '%s'", t->name, a); goto done; }
        }
        if (!is_shape && ty[p.base[i]] < 0 && (a = sg__attrs_get(&t->attrs, "__dtype__")) != NULL) {
            long long v;
            if (!sg__parse_ll(a, &v) || (v >= 0 && !sg_dtype_name((int)v))) { st = sg__seterr(g, SG_ERR_PARAM, "variable %s: bad __dtype__ '%s'", t->name, a); goto done; }
            ty[p.base[i]] = (int)v;
        }
    }
    for (i = 0; is_shape && i < p.n; i++)
        if (!p.order[i]->op && (st = sg__check_overflow(g, p.order[i], &sh[p.base[i]], 1)) != SG_OK) goto done;
    /* sweeps; as MXNet, an operator whose inputs and outputs are all known is
     * not asked again, and the sweeps stop when the unknown entries stop falling */
    last = p.nentries;
    for (iter = 0; iter < 2 * p.n + 4; iter++) {
        int k;
        for (k = 0; k < p.n; k++) {
            int idx = (iter % 2 == 0) ? k : p.n - 1 - k;
            sg__node *t = p.order[idx];
            int no;
            if (!t->op) continue;
            no = sg__node_num_outputs(t);
            c.nin = t->nin;
            c.nout = no;
            if (is_shape) {
                int known = 1;
                if (!t->op->infer_shape) continue;
                for (j = 0; j < t->nin; j++) {
                    tin[j] = sh[SG__EID(&p, t->in[j])];
                    known &= sg__shape_known(&tin[j]);
                }
                for (j = 0; j < no; j++) {
                    tout2[j] = sh[p.base[idx] + j];
                    known &= sg__shape_known(&tout2[j]);
                }
                if (known) continue;
                if ((st = t->op->infer_shape(&c, t, tin, tout2)) != SG_OK) goto done;
                if ((st = sg__check_overflow(g, t, tin, t->nin)) != SG_OK) goto done;
                if ((st = sg__check_overflow(g, t, tout2, no)) != SG_OK) goto done;
                for (j = 0; j < t->nin; j++) sh[SG__EID(&p, t->in[j])] = tin[j];
                for (j = 0; j < no; j++) sh[p.base[idx] + j] = tout2[j];
            } else {
                int known = 1;
                for (j = 0; j < t->nin; j++) known &= (yin[j] = ty[SG__EID(&p, t->in[j])]) >= 0;
                for (j = 0; j < no; j++) known &= (yout[j] = ty[p.base[idx] + j]) >= 0;
                if (known) continue;
                st = t->op->infer_type ? t->op->infer_type(&c, t, yin, yout) : sg__elemwise_type(&c, t, yin, yout);
                if (st != SG_OK) goto done;
                for (j = 0; j < t->nin; j++) ty[SG__EID(&p, t->in[j])] = yin[j];
                for (j = 0; j < no; j++) ty[p.base[idx] + j] = yout[j];
            }
        }
        unk = sg__count_unknown(is_shape, sh, ty, p.nentries);
        if (unk == 0 || unk >= last) break;
        last = unk;
    }
    /* results in list order */
    sg__mark_aux(p.order, p.n);
    for (i = 0; i < p.n; i++) {
        sg__node *t = p.order[i];
        int known;
        if (t->op) continue;
        known = is_shape ? sg__shape_known(&sh[p.base[i]]) : ty[p.base[i]] >= 0;
        if (t->mark == 3) {
            if (is_shape && aux) aux[naux] = sh[p.base[i]];
            if (!is_shape && taux) taux[naux] = ty[p.base[i]];
            naux++;
        } else {
            if (is_shape && arg) arg[narg] = sh[p.base[i]];
            if (!is_shape && targ) targ[narg] = ty[p.base[i]];
            narg++;
        }
        if (!known) {
            char b[256];
            sg__buf_printf(&miss, "%s%s: %s", miss.n ? ", " : "", t->name,
                           is_shape ? sg_shape_str(&sh[p.base[i]], b, sizeof b) : "unknown");
        }
    }
    for (i = 0; i < s->nheads; i++) {
        int e = SG__EID(&p, s->heads[i]);
        if (is_shape && outs) outs[i] = sh[e];
        if (!is_shape && tout) tout[i] = ty[e];
        if (is_shape ? !sg__shape_known(&sh[e]) : ty[e] < 0) {
            if (!miss.n) sg__buf_printf(&miss, "output %d", i);
        }
    }
    st = SG_OK;
    if (!partial && miss.n)
        st = sg__seterr(g, SG_ERR_INCOMPLETE, "%s pass cannot decide %s for the following arguments (-1 means unknown dimensions): %s",
                        is_shape ? "InferShape" : "InferType", is_shape ? "shapes" : "types", miss.p ? miss.p : "");
done:
    sg__free(miss.p);
    if (entries && st == SG_OK) {
        if (is_shape) { *entries = sh; sh = NULL; }
        else { *entries = ty; ty = NULL; }
    }
    sg__free(sh); sg__free(tin); sg__free(tout2);
    sg__free(ty); sg__free(yin); sg__free(yout);
    if (!ext) sg__plan_free(&p);
    return st;
}
SG__DEF int sg_infer_shape(sg_graph *g, const sg_symbol *s, int nshapes, const char *const *names, const sg_shape *shapes,
                           int partial, sg_shape *arg, sg_shape *out, sg_shape *aux) {
    return sg__infer_pass(g, s, 1, nshapes, names, shapes, NULL, partial, arg, out, aux, NULL, NULL, NULL, NULL, NULL);
}
SG__DEF int sg_infer_type(sg_graph *g, const sg_symbol *s, int ntypes, const char *const *names, const int *dtypes,
                          int partial, int *arg, int *out, int *aux) {
    return sg__infer_pass(g, s, 0, ntypes, names, NULL, dtypes, partial, NULL, NULL, NULL, arg, out, aux, NULL, NULL);
}


/* ========================================================================== */
/* 6. NDArray                                                                 */
/* ========================================================================== */

#ifndef SYMGRAPH_THREAD_LOCAL
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && !defined(__STDC_NO_THREADS__)
#define SYMGRAPH_THREAD_LOCAL _Thread_local
#elif defined(__GNUC__) || defined(__clang__)
#define SYMGRAPH_THREAD_LOCAL __thread
#else
#define SYMGRAPH_THREAD_LOCAL
#endif
#endif
static SYMGRAPH_THREAD_LOCAL char sg__last_err[SG__ERRLEN];
SG__DEF const char *sg_last_error(void) { return sg__last_err; }
SG__INTERNAL int sg__lerr(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sg__last_err, sizeof sg__last_err, fmt, ap);
    va_end(ap);
    return status;
}

/* Element size and shape checks; returns SG_OK and the element count. */
SG__INTERNAL int sg__nd_check(int ndim, const int64_t *dims, int dtype, int64_t *count, size_t *bytes) {
    size_t es = sg_dtype_size(dtype);
    sg_shape s;
    int i;
    if (!es) return sg__lerr(SG_ERR_TYPE, "NDArray: unknown dtype %d", dtype);
    if (ndim < 0 || ndim > SG_MAX_NDIM || (ndim > 0 && !dims))
        return sg__lerr(SG_ERR_ARG, "NDArray: ndim %d is out of range [0, %d]", ndim, SG_MAX_NDIM);
    s.ndim = ndim;
    for (i = 0; i < ndim; i++) {
        if (dims[i] < 0) return sg__lerr(SG_ERR_ARG, "NDArray: dim %d is negative (%lld)", i, (long long)dims[i]);
        s.dims[i] = dims[i];
    }
    if (sg_shape_size(&s, count) != SG_OK || (uint64_t)*count > (uint64_t)((size_t)-1 / es))
        return sg__lerr(SG_ERR_OVERFLOW, "NDArray: the element count of the shape overflows");
    *bytes = (size_t)*count * es;
    return SG_OK;
}
SG__INTERNAL sg_ndarray *sg__nd_header(int ndim, const int64_t *dims, int dtype) {
    int64_t count;
    size_t bytes;
    int i;
    sg_ndarray *a;
    if (sg__nd_check(ndim, dims, dtype, &count, &bytes) != SG_OK) return NULL;
    a = (sg_ndarray *)sg__calloc(1, sizeof(sg_ndarray));
    if (!a) { sg__lerr(SG_ERR_NOMEM, "NDArray: out of memory"); return NULL; }
    a->dtype = dtype;
    a->shape.ndim = ndim;
    for (i = 0; i < ndim; i++) a->shape.dims[i] = dims[i];
    a->size = count;
    a->nbytes = bytes;
    a->dev_type = SG_CPU;
    return a;
}
/* ---- devices (registered tables, sg_register_device) ---- */
#define SG__MAX_DEV 8
static sg_device_ops sg__devops[SG__MAX_DEV];
static int sg__devset[SG__MAX_DEV];
SG__DEF int sg_register_device(int dev_type, const sg_device_ops *ops) {
    if (dev_type <= SG_CPU || dev_type >= SG__MAX_DEV) return sg__lerr(SG_ERR_ARG, "register_device: device type %d cannot be registered", dev_type);
    if (!ops) { sg__devset[dev_type] = 0; return SG_OK; }
    if (!ops->alloc || !ops->free || !ops->copy || !ops->zero || !ops->kernels || !ops->sync || !ops->error || !ops->add)
        return sg__lerr(SG_ERR_ARG, "register_device: the table of device type %d misses a required function", dev_type);
    sg__devops[dev_type] = *ops;
    sg__devset[dev_type] = 1;
    return SG_OK;
}
SG__DEF const sg_device_ops *sg_device_get(int dev_type) {
    if (dev_type <= SG_CPU || dev_type >= SG__MAX_DEV || !sg__devset[dev_type]) return NULL;
    return &sg__devops[dev_type];
}
SG__DEF sg_ndarray *sg_nd_zeros_dev(int ndim, const int64_t *dims, int dtype, int dev_type, int dev_id) {
    const sg_device_ops *ops;
    sg_ndarray *a;
    int st;
    if (dev_type == SG_CPU) return sg_nd_zeros(ndim, dims, dtype);
    if (!(ops = sg_device_get(dev_type))) {
        sg__lerr(SG_ERR_UNSUPPORTED, "NDArray: no device of type %d is registered (link symgraph_cuda.cu and call sg_cuda_register())", dev_type);
        return NULL;
    }
    if (!(a = sg__nd_header(ndim, dims, dtype))) return NULL;
    a->dev_type = dev_type;
    a->dev_id = dev_id;
    a->owns = 1;
    if (a->nbytes) {
        if ((st = ops->alloc(a->nbytes, &a->data)) != SG_OK || (st = ops->zero(a->data, a->nbytes)) != SG_OK) {
            sg__lerr(st, "NDArray: cannot allocate %lu bytes on %s: %s", (unsigned long)a->nbytes, ops->name ? ops->name : "the device", ops->error());
            if (a->data) ops->free(a->data);
            sg__free(a);
            return NULL;
        }
    }
    return a;
}

SG__DEF sg_ndarray *sg_nd_zeros(int ndim, const int64_t *dims, int dtype) {
    sg_ndarray *a = sg__nd_header(ndim, dims, dtype);
    if (!a) return NULL;
    if (a->nbytes) {
        a->data = sg__calloc(1, a->nbytes);
        if (!a->data) {
            sg__lerr(SG_ERR_NOMEM, "NDArray: cannot allocate %lu bytes", (unsigned long)a->nbytes);
            sg__free(a);
            return NULL;
        }
    }
    a->owns = 1;
    return a;
}
SG__DEF sg_ndarray *sg_nd_zeros_shape(const sg_shape *s, int dtype) {
    if (!s || !sg__shape_known(s)) { sg__lerr(SG_ERR_ARG, "NDArray: shape is unknown"); return NULL; }
    return sg_nd_zeros(s->ndim, s->dims, dtype);
}
SG__DEF sg_ndarray *sg_nd_full(int ndim, const int64_t *dims, int dtype, double v) {
    sg_ndarray *a = sg_nd_zeros(ndim, dims, dtype);
    if (a && v != 0) sg_nd_fill(a, v);
    return a;
}
SG__DEF sg_ndarray *sg_nd_ones(int ndim, const int64_t *dims, int dtype) { return sg_nd_full(ndim, dims, dtype, 1.0); }
SG__DEF sg_ndarray *sg_nd_from_data(int ndim, const int64_t *dims, int dtype, void *data) {
    sg_ndarray *a = sg__nd_header(ndim, dims, dtype);
    if (!a) return NULL;
    if (!data && a->nbytes) { sg__free(a); sg__lerr(SG_ERR_ARG, "NDArray: data is NULL"); return NULL; }
    a->data = data;
    return a;
}
SG__DEF void sg_nd_free(sg_ndarray *a) {
    if (!a) return;
    if (a->owns && a->dev_type != SG_CPU) { /* device memory (sg_nd_zeros_dev) */
        const sg_device_ops *ops = sg_device_get(a->dev_type);
        if (ops && a->data) ops->free(a->data);
        sg__free(a);
        return;
    }
    if (a->owns) sg__free(a->data);
    sg__free(a);
}

/* float16 / bfloat16 conversions (round to nearest even). */
SG__INTERNAL float sg__half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    float f;
    if (exp == 0) {
        if (man == 0) bits = sign;
        else { /* subnormal */
            float v = (float)man / 1024.0f / 16384.0f;
            return sign ? -v : v;
        }
    } else if (exp == 31) bits = sign | 0x7f800000u | (man << 13);
    else bits = sign | ((exp + 112) << 23) | (man << 13);
    memcpy(&f, &bits, 4);
    return f;
}
SG__INTERNAL uint16_t sg__float_to_half(float f) {
    uint32_t x, sign, man;
    int exp;
    memcpy(&x, &f, 4);
    sign = (x >> 16) & 0x8000;
    exp = (int)((x >> 23) & 0xff) - 127 + 15;
    man = x & 0x7fffff;
    if (((x >> 23) & 0xff) == 0xff) return (uint16_t)(sign | 0x7c00 | (man ? 0x200 : 0));
    if (exp >= 31) return (uint16_t)(sign | 0x7c00);
    if (exp <= 0) {
        uint32_t m, r;
        int shift;
        if (exp < -10) return (uint16_t)sign;
        m = man | 0x800000;
        shift = 14 - exp;
        r = m >> shift;
        if ((m >> (shift - 1)) & 1) { if (((m & ((1u << (shift - 1)) - 1)) != 0) || (r & 1)) r++; }
        return (uint16_t)(sign | r);
    }
    {
        uint32_t r = sign | ((uint32_t)exp << 10) | (man >> 13);
        if ((man & 0x1000) && ((man & 0x2fff) != 0)) r++;
        return (uint16_t)r;
    }
}
SG__INTERNAL float sg__bf16_to_float(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}
SG__INTERNAL uint16_t sg__float_to_bf16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffff) > 0x7f800000) return (uint16_t)((x >> 16) | 0x40);
    x += 0x7fff + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}
SG__INTERNAL double sg__load(const void *p, int dtype, int64_t i) {
    switch (dtype) {
    case SG_FLOAT32: return ((const float *)p)[i];
    case SG_FLOAT64: return ((const double *)p)[i];
    case SG_FLOAT16: return sg__half_to_float(((const uint16_t *)p)[i]);
    case SG_BFLOAT16: return sg__bf16_to_float(((const uint16_t *)p)[i]);
    case SG_UINT8: return ((const uint8_t *)p)[i];
    case SG_INT8: return ((const int8_t *)p)[i];
    case SG_INT32: return ((const int32_t *)p)[i];
    case SG_INT64: return (double)((const int64_t *)p)[i];
    case SG_BOOL: return ((const uint8_t *)p)[i] != 0;
    }
    return 0;
}
/* Store v as C's conversion would (floats to ints truncate toward zero; out of
 * range values wrap as the integer conversion of the truncated value). */
SG__INTERNAL void sg__store(void *p, int dtype, int64_t i, double v) {
    switch (dtype) {
    case SG_FLOAT32: ((float *)p)[i] = (float)v; break;
    case SG_FLOAT64: ((double *)p)[i] = v; break;
    case SG_FLOAT16: ((uint16_t *)p)[i] = sg__float_to_half((float)v); break;
    case SG_BFLOAT16: ((uint16_t *)p)[i] = sg__float_to_bf16((float)v); break;
    case SG_BOOL: ((uint8_t *)p)[i] = v != 0; break;
    default: {
        int64_t t = (v != v) ? 0 : (v >= 9.2e18 ? INT64_MAX : v <= -9.2e18 ? INT64_MIN : (int64_t)v);
        switch (dtype) {
        case SG_UINT8: ((uint8_t *)p)[i] = (uint8_t)(uint64_t)t; break;
        case SG_INT8: ((int8_t *)p)[i] = (int8_t)(uint8_t)(uint64_t)t; break;
        case SG_INT32: ((int32_t *)p)[i] = (int32_t)(uint32_t)(uint64_t)t; break;
        case SG_INT64: ((int64_t *)p)[i] = t; break;
        }
    }
    }
}
SG__DEF double sg_nd_get(const sg_ndarray *a, int64_t i) {
    if (!a || i < 0 || i >= a->size || a->dev_type != SG_CPU) return 0; /* device arrays: copy to the CPU first */
    return sg__load(a->data, a->dtype, i);
}
SG__DEF int sg_nd_set(sg_ndarray *a, int64_t i, double v) {
    if (!a) return sg__lerr(SG_ERR_ARG, "sg_nd_set: array is NULL");
    if (a->dev_type != SG_CPU) return sg__lerr(SG_ERR_UNSUPPORTED, "sg_nd_set: the array is on device type %d", a->dev_type);
    if (i < 0 || i >= a->size) return sg__lerr(SG_ERR_ARG, "sg_nd_set: index %lld out of range [0, %lld)", (long long)i, (long long)a->size);
    sg__store(a->data, a->dtype, i, v);
    return SG_OK;
}
SG__DEF int sg_nd_fill(sg_ndarray *a, double v) {
    int64_t i;
    if (!a) return sg__lerr(SG_ERR_ARG, "sg_nd_fill: array is NULL");
    if (a->dev_type != SG_CPU) {
        const sg_device_ops *ops = sg_device_get(a->dev_type);
        if (v != 0 || !ops) return sg__lerr(SG_ERR_UNSUPPORTED, "sg_nd_fill: only zero-filling is possible on device type %d", a->dev_type);
        return a->nbytes && ops->zero(a->data, a->nbytes) != SG_OK ? sg__lerr(SG_ERR_UNSUPPORTED, "sg_nd_fill: %s", ops->error()) : SG_OK;
    }
    if (a->dtype == SG_FLOAT32) { float f = (float)v; float *d = (float *)a->data; for (i = 0; i < a->size; i++) d[i] = f; }
    else for (i = 0; i < a->size; i++) sg__store(a->data, a->dtype, i, v);
    return SG_OK;
}
SG__DEF int sg_nd_copy_to(const sg_ndarray *src, sg_ndarray *dst) {
    int64_t i;
    if (!src || !dst) return sg__lerr(SG_ERR_ARG, "sg_nd_copy_to: array is NULL");
    if (src->size != dst->size)
        return sg__lerr(SG_ERR_SHAPE, "sg_nd_copy_to: %lld elements into %lld", (long long)src->size, (long long)dst->size);
    if (src->data == dst->data && src->dtype == dst->dtype && src->dev_type == dst->dev_type) return SG_OK;
    if (src->dev_type != SG_CPU || dst->dev_type != SG_CPU) { /* across devices: through the device's table */
        const sg_device_ops *ops = sg_device_get(src->dev_type != SG_CPU ? src->dev_type : dst->dev_type);
        int st, kind = src->dev_type == SG_CPU ? SG_COPY_H2D : dst->dev_type == SG_CPU ? SG_COPY_D2H : SG_COPY_D2D;
        if (!ops || (src->dev_type != SG_CPU && dst->dev_type != SG_CPU && src->dev_type != dst->dev_type))
            return sg__lerr(SG_ERR_UNSUPPORTED, "sg_nd_copy_to: no registered device for a copy from device type %d to %d", src->dev_type, dst->dev_type);
        if (src->dtype != dst->dtype)
            return sg__lerr(SG_ERR_TYPE, "sg_nd_copy_to: a copy between devices needs equal dtypes (%s to %s)", sg_dtype_name(src->dtype), sg_dtype_name(dst->dtype));
        if (src->nbytes && (st = ops->copy(dst->data, src->data, src->nbytes, kind)) != SG_OK)
            return sg__lerr(st, "sg_nd_copy_to: %s", ops->error());
        return SG_OK;
    }
    if (src->dtype == dst->dtype) { if (src->nbytes) memmove(dst->data, src->data, src->nbytes); }
    else for (i = 0; i < src->size; i++) sg__store(dst->data, dst->dtype, i, sg__load(src->data, src->dtype, i));
    return SG_OK;
}
SG__DEF sg_ndarray *sg_nd_copy(const sg_ndarray *a) {
    sg_ndarray *c;
    if (!a) { sg__lerr(SG_ERR_ARG, "sg_nd_copy: array is NULL"); return NULL; }
    if (a->dev_type != SG_CPU) { /* device array: a copy on the same device */
        c = sg_nd_zeros_dev(a->shape.ndim, a->shape.dims, a->dtype, a->dev_type, a->dev_id);
        if (c && sg_nd_copy_to(a, c) != SG_OK) { sg_nd_free(c); c = NULL; }
        return c;
    }
    c = sg_nd_zeros(a->shape.ndim, a->shape.dims, a->dtype);
    if (c && a->nbytes) memcpy(c->data, a->data, a->nbytes);
    return c;
}

/* ---- random numbers ---- */
SG__INTERNAL uint64_t sg__splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
SG__DEF void sg_rng_seed(sg_rng *r, uint64_t seed) {
    int i;
    for (i = 0; i < 4; i++) r->s[i] = sg__splitmix(&seed);
    r->has_spare = 0;
    r->spare = 0;
}
#define SG__ROTL(x, k) (((x) << (k)) | ((x) >> (64 - (k))))
SG__DEF uint64_t sg_rng_next(sg_rng *r) {
    uint64_t *s = r->s, res = SG__ROTL(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = SG__ROTL(s[3], 45);
    return res;
}
SG__DEF double sg_rng_uniform(sg_rng *r) { return (double)(sg_rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }
SG__INTERNAL float sg__rng_uniformf(sg_rng *r) { return (float)(sg_rng_next(r) >> 40) * (1.0f / 16777216.0f); }
SG__DEF double sg_rng_normal(sg_rng *r) {
    double u1, u2, m;
    if (r->has_spare) { r->has_spare = 0; return r->spare; }
    do { u1 = sg_rng_uniform(r); } while (u1 <= 1e-300);
    u2 = sg_rng_uniform(r);
    m = sqrt(-2.0 * log(u1));
    r->spare = m * sin(6.283185307179586 * u2);
    r->has_spare = 1;
    return m * cos(6.283185307179586 * u2);
}
SG__DEF int sg_nd_random_uniform(sg_ndarray *a, double lo, double hi, sg_rng *r) {
    int64_t i;
    if (!a || !r) return sg__lerr(SG_ERR_ARG, "sg_nd_random_uniform: NULL argument");
    if (a->dtype == SG_FLOAT32) { /* 24 random bits per float32 value */
        float *d = (float *)a->data, flo = (float)lo, span = (float)(hi - lo);
        for (i = 0; i < a->size; i++) d[i] = flo + span * sg__rng_uniformf(r);
        return SG_OK;
    }
    for (i = 0; i < a->size; i++) sg__store(a->data, a->dtype, i, lo + (hi - lo) * sg_rng_uniform(r));
    return SG_OK;
}
SG__DEF int sg_nd_random_normal(sg_ndarray *a, double mean, double std, sg_rng *r) {
    int64_t i;
    if (!a || !r) return sg__lerr(SG_ERR_ARG, "sg_nd_random_normal: NULL argument");
    for (i = 0; i < a->size; i++) sg__store(a->data, a->dtype, i, mean + std * sg_rng_normal(r));
    return SG_OK;
}


/* ========================================================================== */
/* 7. GEMM                                                                    */
/* ========================================================================== */
/* Row-major C = alpha op(A) op(B) + beta C behind one entry point. Paths:
 *
 *  - naive: the reference i-k-j loop (SG_GEMM_NAIVE, and AUTO for products of
 *    fewer than SG__GEMM_TINY multiply-adds, where any set-up costs more).
 *  - outer: BLIS-style blocking. Loops jc (NC columns) > pc (KC depth) > ic (MC
 *    rows) > jr (NR-wide panels) > ir (MR-tall tiles) around an MR x NR
 *    register-blocked micro-kernel. B is packed per (jc, pc) into KC x NR
 *    panels (the last zero-padded to a whole vector; B^T is transposed 8 x 8
 *    in registers). A is packed per (ic, pc) into tile-high slivers (k-major,
 *    MR floats per k): a plain copy when ta, 8 x 8 register transposes when
 *    row-major. Row-major A is read in place instead (its rows are contiguous
 *    in k) when the block meets fewer than SG__PACKA_MINN columns, where the
 *    copy would not pay for itself. Row-major B is packed row by row, with
 *    prefetches a few rows ahead (rows are pages apart), and read in place
 *    for <= SG__DIRECT_B_MAXM rows, or when a k block of it is a few KiB. The
 *    k blocks have equal depth (784 = 4 x 196, not 3 x 256 + 16). The rows of
 *    a block are spread evenly over its tiles (50 = 5 x 6 + 4 x 5, not
 *    8 x 6 + 2), and one-vector panels (N % 16 in 5..8) take two tiles at
 *    once, so that every tile has enough accumulators to hide the FMA latency.
 *  - dot: C(i,j) = <A row i, op(B) column j> with the vector running along k,
 *    where it cannot run along N without waste: the last N % W <= W/2 columns
 *    (N = 10: 8 + 2, N = 50: 48 + 2), N <= W/2, and NT products of <= 4 rows
 *    (FullyConnected at batch <= 4: B^T's rows are already contiguous). 4x2,
 *    2x4 or 1x8 tiles of eight accumulators, reduced by one horizontal-add
 *    tree. Tail columns are done block by block with the outer path, while
 *    each block of A is in L2.
 *
 * Block sizes (floats), for L1 32 KiB, L2 1 MiB, L3 32 MiB: KC 256, MC 144,
 * NC 1024. A micro-kernel call streams an MR x KC sliver of A and a KC x NR
 * panel of B: 6 + 16 KiB (AVX2, 6x16) or 12 + 32 KiB (AVX-512, 12x32), so the
 * B panel stays in L1 (AVX2; L1/L2 for AVX-512) across the MC/MR tiles that
 * reuse it; the MC x KC block of A (144 KiB) stays in L2 across the NC/NR
 * panels; the KC x NC block of B (1 MiB, split between threads) stays in L3
 * across the M/MC row blocks. When all rows fit one MC block the B block is
 * 256 columns (256 KiB) so that it stays in L2 instead. MC is a multiple of
 * every MR (4, 6, 12), NC of every NR (8, 16, 32). Where row-major A is read
 * in place and B packed (fewer than SG__PACKA_MINN outer columns, e.g.
 * 4096x500x50) the k blocks are up to SG__KCA = 2048 deep, as far as the
 * part's share of the workspace holds the B block: the tiles then read A's
 * rows whole, one stream for the hardware prefetchers (the B block stays
 * within the 1 MiB of a KC x NC block).
 *
 * Kernels: AVX-512 (12x32, zmm), AVX2+FMA (6x16, and 12x8 for one-vector
 * panels, ymm) and a portable one (4x8, GCC/Clang vector extensions, or structs
 * of four floats elsewhere), all from one template of intrinsics so that speed
 * does not depend on an auto-vectorizer. On x86 with GCC >= 7 or Clang >= 5
 * the SIMD kernels and packing routines are compiled with function target
 * attributes whatever the -m flags, and CPUID/XGETBV picks the best family
 * the CPU and OS support on first use; SYMGRAPH_GEMM_NO_DISPATCH switches
 * that off (only what the compile flags enable is built, no CPUID).
 * sg_gemm_set_kernel forces a family (the tests cover every one the CPU runs).
 *
 * Threads: with -fopenmp (or SYMGRAPH_PTHREADS: a small internal pool whose
 * workers spin ~1 ms, then sleep), a product of at least SG__GEMM_MT_FLOPS
 * flops is split into sg_get_num_threads() parts along M (M >= N) or N, at
 * tile/panel granularity; each thread runs the single-thread algorithm on its
 * part with its own packing buffers, carved from the workspace (which holds
 * SYMGRAPH_MAX_THREADS slices), so nothing is allocated in the hot path.
 * Operators that split their own work (the batch-parallel Convolution; the
 * range-parallel Activation, Pooling and BatchNorm through sg__par_range) run
 * parts through sg__parallel, on the same OpenMP team or pool; each part's
 * GEMMs then stay on its thread, in 1 / parts of the workspace
 * (sg__sgemm_share).
 *
 * SYMGRAPH_USE_CBLAS routes SG_GEMM_AUTO (sg_sgemm, the executor) and sg_dgemm
 * to an external cblas_sgemm / cblas_dgemm (link one, e.g. -lopenblas). */
#ifndef SYMGRAPH_MAX_THREADS
#define SYMGRAPH_MAX_THREADS 8
#endif
#if SYMGRAPH_MAX_THREADS < 1 || SYMGRAPH_MAX_THREADS > 32
#error "SYMGRAPH_MAX_THREADS must be in [1, 32]"
#endif
#ifndef SG__KC
#define SG__KC 256
#endif
#ifndef SG__MC
#define SG__MC 144
#endif
#ifndef SG__NC
#define SG__NC 1024
#endif
#define SG__KCD 2048             /* k block of the dot path */
#define SG__AUX (SG__KC * 40)   /* per-thread scratch: a partial B panel (KC x 32), packed B^T rows (8 x KC) */
#ifndef SG__DIRECT_B_MAXM
#define SG__DIRECT_B_MAXM 12    /* row blocks up to this read row-major B in place */
#endif
#ifndef SG__PACKA_MINN
#define SG__PACKA_MINN 128      /* row-major A is packed for blocks of at least this many columns */
#endif
#ifndef SG__KCA
#define SG__KCA 2048            /* k block (at most) where row-major A is read in place */
#endif
#ifndef SG__DOT_MAXM
#define SG__DOT_MAXM 4          /* NT products up to this many rows take the dot path */
#endif
#ifndef SG__NCB_SMALLM
#define SG__NCB_SMALLM 256      /* packed B columns when all rows fit one MC block */
#endif
#define SG__GEMM_TINY 512       /* AUTO: M*N*K below this runs the naive loop */
#ifndef SG__GEMM_MT_FLOPS
#define SG__GEMM_MT_FLOPS 400000.0 /* below this many flops a product stays on one thread */
#endif
#define SG__PACK_SLACK 16        /* floats after the packed A block (see sg__pack_an_avx2) */
#define SG__WS_SLICE ((size_t)SG__MC * SG__KC + SG__PACK_SLACK + SG__AUX + 64)
#define SG__GEMM_WS_FLOATS ((size_t)SYMGRAPH_MAX_THREADS * SG__WS_SLICE + (size_t)SG__KC * SG__NC + 64)

#ifdef SYMGRAPH_USE_CBLAS
#include <cblas.h>
#endif
#ifdef _OPENMP
#include <omp.h>
#elif defined(SYMGRAPH_PTHREADS)
#include <pthread.h>
#include <unistd.h>
#include <sched.h>
#define SG__GEMM_POOL 1
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SG__GNUC 1
#endif
#if defined(SG__GNUC) && (defined(__x86_64__) || defined(__i386__)) && \
    ((defined(__clang__) && __clang_major__ >= 5) || (!defined(__clang__) && __GNUC__ >= 7))
#ifdef SYMGRAPH_GEMM_NO_DISPATCH
#if defined(__AVX2__) && defined(__FMA__)
#define SG__GEMM_AVX2 1
#endif
#if defined(__AVX512F__) && defined(__AVX2__) && defined(__FMA__)
#define SG__GEMM_AVX512 1
#endif
#define SG__TGT_AVX2
#define SG__TGT_AVX512
#else
#define SG__GEMM_AVX2 1
#define SG__GEMM_AVX512 1
#define SG__GEMM_CPUID 1
#define SG__TGT_AVX2 __attribute__((target("avx2,fma")))
#define SG__TGT_AVX512 __attribute__((target("avx512f,avx2,fma")))
#include <cpuid.h>
#endif
#if defined(SG__GEMM_AVX2) || defined(SG__GEMM_AVX512)
#include <immintrin.h>
#endif
#endif

/* ---- reference paths ---- */
SG__INTERNAL void sg__scale_c(int M, int N, float beta, float *C, int ldc) {
    int i, j;
    if (beta == 1.0f) return;
    for (i = 0; i < M; i++) {
        float *c = C + (size_t)i * ldc;
        if (beta == 0.0f) for (j = 0; j < N; j++) c[j] = 0.0f;
        else for (j = 0; j < N; j++) c[j] *= beta;
    }
}
SG__INTERNAL void sg__sgemm_naive(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                                  const float *B, int ldb, float beta, float *C, int ldc) {
    int i, j, k;
    sg__scale_c(M, N, beta, C, ldc);
    if (alpha == 0.0f) return;
    for (i = 0; i < M; i++) {
        float *c = C + (size_t)i * ldc;
        for (k = 0; k < K; k++) {
            float a = alpha * (ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k]);
            if (!tb) {
                const float *b = B + (size_t)k * ldb;
                for (j = 0; j < N; j++) c[j] += a * b[j];
            } else {
                for (j = 0; j < N; j++) c[j] += a * B[(size_t)j * ldb + k];
            }
        }
    }
}

/* ---- micro-kernel templates ----
 * Outer-product micro-kernel NAME for MR rows and NV vectors of SG__W floats:
 *   C[r][j] = alpha * sum_k a[r*rsa + k*csa] * b[k*ldbk + j] + beta * C[r][j]
 * for r < MR, j < nr (nr <= NV*SG__W; b holds NV*SG__W readable floats per k).
 * beta == 0 does not read C. Each ISA defines SG__V (vector type), SG__W and
 * SG__VZERO / SG__VLOAD / SG__VBCAST / SG__VSET1 / SG__VFMA / SG__VMUL /
 * SG__VSTORE, then instantiates the kernels; the macros are undefined after. */
#define SG__REP1(X) X(0)
#define SG__REP2(X) SG__REP1(X) X(1)
#define SG__REP3(X) SG__REP2(X) X(2)
#define SG__REP4(X) SG__REP3(X) X(3)
#define SG__REP5(X) SG__REP4(X) X(4)
#define SG__REP6(X) SG__REP5(X) X(5)
#define SG__REP7(X) SG__REP6(X) X(6)
#define SG__REP8(X) SG__REP7(X) X(7)
#define SG__REP9(X) SG__REP8(X) X(8)
#define SG__REP10(X) SG__REP9(X) X(9)
#define SG__REP11(X) SG__REP10(X) X(10)
#define SG__REP12(X) SG__REP11(X) X(11)
#define SG__UK_DECL1(r) SG__V c##r##_0 = SG__VZERO();
#define SG__UK_DECL2(r) SG__V c##r##_0 = SG__VZERO(), c##r##_1 = SG__VZERO();
#define SG__UK_LOAD1 SG__V b0_ = SG__VLOAD(b);
#define SG__UK_LOAD2 SG__V b0_ = SG__VLOAD(b), b1_ = SG__VLOAD(b + SG__W);
#define SG__UK_STEP1(r) { SG__V t_ = SG__VBCAST(SG__UK_ADDR(r)); c##r##_0 = SG__VFMA(t_, b0_, c##r##_0); }
#define SG__UK_STEP2(r)                                                                                  \
    { SG__V t_ = SG__VBCAST(SG__UK_ADDR(r)); c##r##_0 = SG__VFMA(t_, b0_, c##r##_0);                     \
      c##r##_1 = SG__VFMA(t_, b1_, c##r##_1); }
/* rows 6.. address from a second pointer, so that the compiler keeps five row
 * offsets in registers instead of eleven */
#define SG__UK_ADDR(r) (((r) < 6 ? a : a6_) + o_[(r) % 6])
#define SG__UK_PF(r) SG__PREFETCH(c + (r) * ldc); SG__PREFETCH(c + (r) * ldc + nr - 1);
#define SG__UK_ST0V(r, v) SG__VSTORE(c + (r) * ldc + (v) * SG__W, SG__VMUL(va_, c##r##_##v));
#define SG__UK_STBV(r, v)                                                                                \
    SG__VSTORE(c + (r) * ldc + (v) * SG__W,                                                              \
               SG__VFMA(vb_, SG__VLOAD(c + (r) * ldc + (v) * SG__W), SG__VMUL(va_, c##r##_##v)));
#define SG__UK_ST01(r) SG__UK_ST0V(r, 0)
#define SG__UK_ST02(r) SG__UK_ST0V(r, 0) SG__UK_ST0V(r, 1)
#define SG__UK_STB1(r) SG__UK_STBV(r, 0)
#define SG__UK_STB2(r) SG__UK_STBV(r, 0) SG__UK_STBV(r, 1)
#define SG__UK_TMP1(r) SG__VSTORE(t_ + (r) * 2 * SG__W, c##r##_0);
#define SG__UK_TMP2(r) SG__VSTORE(t_ + (r) * 2 * SG__W, c##r##_0); SG__VSTORE(t_ + (r) * 2 * SG__W + SG__W, c##r##_1);
#define SG__UK_DEF(NAME, TGT, NV, MR)                                                                    \
    SG__INTERNAL TGT void NAME(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa, const float *b,     \
                               ptrdiff_t ldbk, float *c, ptrdiff_t ldc, int nr, float alpha, float beta) { \
        int k_ = 0;                                                                                      \
        const float *a6_ = a + 6 * rsa;                                                                  \
        ptrdiff_t o_[6];                                                                                 \
        o_[0] = 0; o_[1] = rsa; o_[2] = 2 * rsa; o_[3] = 3 * rsa; o_[4] = 4 * rsa; o_[5] = 5 * rsa;      \
        SG__OPAQUE(o_[1]); SG__OPAQUE(o_[2]); SG__OPAQUE(o_[3]); SG__OPAQUE(o_[4]); SG__OPAQUE(o_[5]);  \
        SG__OPAQUE(a6_);                                                                                 \
        SG__REP##MR(SG__UK_DECL##NV)                                                                     \
        SG__REP##MR(SG__UK_PF)                                                                           \
        for (; k_ < kc; k_++) {                                                                          \
            SG__UK_LOAD##NV                                                                              \
            SG__REP##MR(SG__UK_STEP##NV)                                                                 \
            a += csa;                                                                                    \
            a6_ += csa;                                                                                  \
            SG__OPAQUE(a);                                                                               \
            SG__OPAQUE(a6_);                                                                             \
            b += ldbk;                                                                                   \
        }                                                                                                \
        if (nr == (NV) * SG__W) {                                                                        \
            SG__V va_ = SG__VSET1(alpha);                                                                \
            if (beta == 0.0f) {                                                                          \
                SG__REP##MR(SG__UK_ST0##NV)                                                              \
            } else {                                                                                     \
                SG__V vb_ = SG__VSET1(beta);                                                             \
                SG__REP##MR(SG__UK_STB##NV)                                                              \
            }                                                                                            \
        } else {                                                                                         \
            float t_[(MR) * 2 * SG__W];                                                                  \
            SG__REP##MR(SG__UK_TMP##NV)                                                                  \
            sg__tile_store(t_, 2 * SG__W, MR, nr, c, ldc, alpha, beta);                                  \
        }                                                                                                \
    }
/* Dot micro-kernel NAME: an R x S tile (R*S == 8) of C(i,j) = alpha * <a row i,
 * b row j> + beta C(i,j) over kc; a and b rows are contiguous in k, lda/ldb
 * apart. mr <= R rows and nr <= S columns are stored (the others repeat the
 * last row/column and are discarded). SG__VRED8(out, d0..d7) stores the eight
 * horizontal sums. */
#define SG__DOT_FMA8(X0, X1, X2, X3, X4, X5, X6, X7, Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)                    \
    d0 = SG__VFMA(X0, Y0, d0); d1 = SG__VFMA(X1, Y1, d1); d2 = SG__VFMA(X2, Y2, d2);                    \
    d3 = SG__VFMA(X3, Y3, d3); d4 = SG__VFMA(X4, Y4, d4); d5 = SG__VFMA(X5, Y5, d5);                    \
    d6 = SG__VFMA(X6, Y6, d6); d7 = SG__VFMA(X7, Y7, d7);
#define SG__DOT_STEP_4x2                                                                                \
    { SG__V x0 = SG__VLOAD(a0 + k_), x1 = SG__VLOAD(a1 + k_), x2 = SG__VLOAD(a2 + k_), x3 = SG__VLOAD(a3 + k_); \
      SG__V y0 = SG__VLOAD(b0 + k_), y1 = SG__VLOAD(b1 + k_);                                            \
      SG__DOT_FMA8(x0, x0, x1, x1, x2, x2, x3, x3, y0, y1, y0, y1, y0, y1, y0, y1) }
#define SG__DOT_STEP_2x4                                                                                \
    { SG__V x0 = SG__VLOAD(a0 + k_), x1 = SG__VLOAD(a1 + k_);                                            \
      SG__V y0 = SG__VLOAD(b0 + k_), y1 = SG__VLOAD(b1 + k_), y2 = SG__VLOAD(b2 + k_), y3 = SG__VLOAD(b3 + k_); \
      SG__DOT_FMA8(x0, x0, x0, x0, x1, x1, x1, x1, y0, y1, y2, y3, y0, y1, y2, y3) }
#define SG__DOT_STEP_1x8                                                                                \
    { SG__V x0 = SG__VLOAD(a0 + k_);                                                                     \
      SG__V y0 = SG__VLOAD(b0 + k_), y1 = SG__VLOAD(b1 + k_), y2 = SG__VLOAD(b2 + k_), y3 = SG__VLOAD(b3 + k_); \
      SG__V y4 = SG__VLOAD(b4 + k_), y5 = SG__VLOAD(b5 + k_), y6 = SG__VLOAD(b6 + k_), y7 = SG__VLOAD(b7 + k_); \
      SG__DOT_FMA8(x0, x0, x0, x0, x0, x0, x0, x0, y0, y1, y2, y3, y4, y5, y6, y7) }
#define SG__DOT_ROWS_4 const float *a0 = a, *a1 = a + (mr > 1 ? 1 : 0) * lda, *a2 = a + (mr > 2 ? 2 : mr - 1) * lda, \
                       *a3 = a + (mr > 3 ? 3 : mr - 1) * lda, *ar_[4];
#define SG__DOT_ROWS_2 const float *a0 = a, *a1 = a + (mr > 1 ? 1 : 0) * lda, *ar_[2];
#define SG__DOT_ROWS_1 const float *a0 = a, *ar_[1];
#define SG__DOT_COLS_2 const float *b0 = b, *b1 = b + (nr > 1 ? 1 : 0) * ldb, *bc_[2];
#define SG__DOT_COLS_4 const float *b0 = b, *b1 = b + (nr > 1 ? 1 : 0) * ldb, *b2 = b + (nr > 2 ? 2 : nr - 1) * ldb, \
                       *b3 = b + (nr > 3 ? 3 : nr - 1) * ldb, *bc_[4];
#define SG__DOT_COLS_8 const float *b0 = b, *b1 = b + (nr > 1 ? 1 : 0) * ldb, *b2 = b + (nr > 2 ? 2 : nr - 1) * ldb, \
                       *b3 = b + (nr > 3 ? 3 : nr - 1) * ldb, *b4 = b + (nr > 4 ? 4 : nr - 1) * ldb,      \
                       *b5 = b + (nr > 5 ? 5 : nr - 1) * ldb, *b6 = b + (nr > 6 ? 6 : nr - 1) * ldb,      \
                       *b7 = b + (nr > 7 ? 7 : nr - 1) * ldb, *bc_[8];
#define SG__DOT_DEF(NAME, TGT, R, S)                                                                     \
    SG__INTERNAL TGT void NAME(int kc, const float *a, ptrdiff_t lda, int mr, const float *b, ptrdiff_t ldb, \
                               int nr, float *c, ptrdiff_t ldc, float alpha, float beta) {               \
        SG__DOT_ROWS_##R SG__DOT_COLS_##S                                                                \
        SG__V d0 = SG__VZERO(), d1 = SG__VZERO(), d2 = SG__VZERO(), d3 = SG__VZERO();                    \
        SG__V d4 = SG__VZERO(), d5 = SG__VZERO(), d6 = SG__VZERO(), d7 = SG__VZERO();                    \
        float s_[8];                                                                                     \
        int k_ = 0;                                                                                      \
        (void)lda; (void)ldb;                                                                            \
        for (; k_ + SG__W <= kc; k_ += SG__W) SG__DOT_STEP_##R##x##S                                     \
        SG__VRED8(s_, d0, d1, d2, d3, d4, d5, d6, d7);                                                   \
        if (k_ == kc && mr == R && nr == S) {                                                            \
            sg__tile_store(s_, S, R, S, c, ldc, alpha, beta);                                            \
            return;                                                                                      \
        }                                                                                                \
        SG__DOT_ROWS_SET_##R SG__DOT_COLS_SET_##S                                                        \
        sg__dot_finish(s_, R, S, ar_, bc_, k_, kc, mr, nr, c, ldc, alpha, beta);                         \
    }
#define SG__DOT_ROWS_SET_4 ar_[0] = a0; ar_[1] = a1; ar_[2] = a2; ar_[3] = a3;
#define SG__DOT_ROWS_SET_2 ar_[0] = a0; ar_[1] = a1;
#define SG__DOT_ROWS_SET_1 ar_[0] = a0;
#define SG__DOT_COLS_SET_2 bc_[0] = b0; bc_[1] = b1;
#define SG__DOT_COLS_SET_4 bc_[0] = b0; bc_[1] = b1; bc_[2] = b2; bc_[3] = b3;
#define SG__DOT_COLS_SET_8 bc_[0] = b0; bc_[1] = b1; bc_[2] = b2; bc_[3] = b3; bc_[4] = b4; bc_[5] = b5; bc_[6] = b6; bc_[7] = b7;

/* SG__OPAQUE(x): the optimizer forgets what x holds. Applied to the row
 * offsets of the micro-kernels: without it Clang rebuilds each row address
 * from the previous one, a chain of dependent adds that halves the speed. */
#ifdef SG__GNUC
#define SG__PREFETCH(p) __builtin_prefetch(p)
#define SG__OPAQUE(x) __asm__("" : "+r"(x))
#else
#define SG__PREFETCH(p) ((void)0)
#define SG__OPAQUE(x) ((void)0)
#endif

/* Store an mr x nr tile from t (rows ldt apart): C = alpha t + beta C. */
SG__INTERNAL void sg__tile_store(const float *t, int ldt, int mr, int nr, float *c, ptrdiff_t ldc, float alpha, float beta) {
    int i, j;
    for (i = 0; i < mr; i++, t += ldt, c += ldc) {
        if (beta == 0.0f) for (j = 0; j < nr; j++) c[j] = alpha * t[j];
        else for (j = 0; j < nr; j++) c[j] = alpha * t[j] + beta * c[j];
    }
}
/* Finish a dot tile: the k tail [k0, kc) in scalar, then store. */
SG__INTERNAL void sg__dot_finish(float *s, int R, int S, const float *const *ar, const float *const *bc, int k0, int kc,
                                 int mr, int nr, float *c, ptrdiff_t ldc, float alpha, float beta) {
    int i, j, k;
    for (i = 0; i < mr; i++)
        for (j = 0; j < nr; j++) {
            float v = s[i * S + j];
            for (k = k0; k < kc; k++) v += ar[i][k] * bc[j][k];
            s[i * S + j] = v;
        }
    (void)R;
    sg__tile_store(s, S, mr, nr, c, ldc, alpha, beta);
}

/* ---- portable kernels (4x8: vector extensions, or structs of four floats) ---- */
#ifdef SG__GNUC
typedef float sg__vf4 __attribute__((vector_size(16)));
SG__INTERNAL sg__vf4 sg__g_load(const float *p) { sg__vf4 v; memcpy(&v, p, sizeof v); return v; }
SG__INTERNAL sg__vf4 sg__g_set1(float x) { sg__vf4 v = {x, x, x, x}; return v; }
SG__INTERNAL void sg__g_store(float *p, sg__vf4 v) { memcpy(p, &v, sizeof v); }
#define SG__VFMA(a, b, c) ((a) * (b) + (c))
#define SG__VMUL(a, b) ((a) * (b))
#else
typedef struct { float v[4]; } sg__vf4;
SG__INTERNAL sg__vf4 sg__g_load(const float *p) { sg__vf4 v; memcpy(v.v, p, sizeof v.v); return v; }
SG__INTERNAL sg__vf4 sg__g_set1(float x) { sg__vf4 v; v.v[0] = v.v[1] = v.v[2] = v.v[3] = x; return v; }
SG__INTERNAL void sg__g_store(float *p, sg__vf4 v) { memcpy(p, v.v, sizeof v.v); }
SG__INTERNAL sg__vf4 sg__g_fma(sg__vf4 a, sg__vf4 b, sg__vf4 c) {
    int i;
    for (i = 0; i < 4; i++) c.v[i] += a.v[i] * b.v[i];
    return c;
}
SG__INTERNAL sg__vf4 sg__g_mul(sg__vf4 a, sg__vf4 b) {
    int i;
    for (i = 0; i < 4; i++) a.v[i] *= b.v[i];
    return a;
}
#define SG__VFMA(a, b, c) sg__g_fma(a, b, c)
#define SG__VMUL(a, b) sg__g_mul(a, b)
#endif
SG__INTERNAL void sg__g_red8(float *out, const sg__vf4 *d) {
    int i, l;
    for (i = 0; i < 8; i++) {
        float t[4];
        sg__g_store(t, d[i]);
        out[i] = 0.0f;
        for (l = 0; l < 4; l++) out[i] += t[l];
    }
}
#define SG__V sg__vf4
#define SG__W 4
#define SG__VZERO() sg__g_set1(0.0f)
#define SG__VLOAD(p) sg__g_load(p)
#define SG__VBCAST(p) sg__g_set1(*(p))
#define SG__VSET1(x) sg__g_set1(x)
#define SG__VSTORE(p, v) sg__g_store(p, v)
#define SG__VRED8(out, d0, d1, d2, d3, d4, d5, d6, d7)                                                  \
    { sg__vf4 dd_[8]; dd_[0] = d0; dd_[1] = d1; dd_[2] = d2; dd_[3] = d3;                                \
      dd_[4] = d4; dd_[5] = d5; dd_[6] = d6; dd_[7] = d7; sg__g_red8(out, dd_); }
SG__UK_DEF(sg__uk_gen_1_1, , 1, 1) SG__UK_DEF(sg__uk_gen_1_2, , 1, 2)
SG__UK_DEF(sg__uk_gen_1_3, , 1, 3) SG__UK_DEF(sg__uk_gen_1_4, , 1, 4)
SG__UK_DEF(sg__uk_gen_2_1, , 2, 1) SG__UK_DEF(sg__uk_gen_2_2, , 2, 2)
SG__UK_DEF(sg__uk_gen_2_3, , 2, 3) SG__UK_DEF(sg__uk_gen_2_4, , 2, 4)
SG__DOT_DEF(sg__dot_gen_4x2, , 4, 2)
SG__DOT_DEF(sg__dot_gen_2x4, , 2, 4)
SG__DOT_DEF(sg__dot_gen_1x8, , 1, 8)
#undef SG__V
#undef SG__W
#undef SG__VZERO
#undef SG__VLOAD
#undef SG__VBCAST
#undef SG__VSET1
#undef SG__VFMA
#undef SG__VMUL
#undef SG__VSTORE
#undef SG__VRED8

/* ---- AVX2 + FMA kernels (6x16 and 6x8, ymm) ---- */
#ifdef SG__GEMM_AVX2
#define SG__V __m256
#define SG__W 8
#define SG__VZERO() _mm256_setzero_ps()
#define SG__VLOAD(p) _mm256_loadu_ps(p)
#define SG__VBCAST(p) _mm256_broadcast_ss(p)
#define SG__VSET1(x) _mm256_set1_ps(x)
#define SG__VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SG__VMUL(a, b) _mm256_mul_ps(a, b)
#define SG__VSTORE(p, v) _mm256_storeu_ps(p, v)
#define SG__VRED8(out, d0, d1, d2, d3, d4, d5, d6, d7)                                                  \
    { __m256 u0_ = _mm256_hadd_ps(_mm256_hadd_ps(d0, d1), _mm256_hadd_ps(d2, d3));                        \
      __m256 u1_ = _mm256_hadd_ps(_mm256_hadd_ps(d4, d5), _mm256_hadd_ps(d6, d7));                        \
      _mm256_storeu_ps(out, _mm256_add_ps(_mm256_permute2f128_ps(u0_, u1_, 0x20),                         \
                                          _mm256_permute2f128_ps(u0_, u1_, 0x31))); }
SG__UK_DEF(sg__uk_avx2_1_1, SG__TGT_AVX2, 1, 1) SG__UK_DEF(sg__uk_avx2_1_2, SG__TGT_AVX2, 1, 2)
SG__UK_DEF(sg__uk_avx2_1_3, SG__TGT_AVX2, 1, 3) SG__UK_DEF(sg__uk_avx2_1_4, SG__TGT_AVX2, 1, 4)
SG__UK_DEF(sg__uk_avx2_1_5, SG__TGT_AVX2, 1, 5) SG__UK_DEF(sg__uk_avx2_1_6, SG__TGT_AVX2, 1, 6)
SG__UK_DEF(sg__uk_avx2_1_7, SG__TGT_AVX2, 1, 7) SG__UK_DEF(sg__uk_avx2_1_8, SG__TGT_AVX2, 1, 8)
SG__UK_DEF(sg__uk_avx2_1_9, SG__TGT_AVX2, 1, 9) SG__UK_DEF(sg__uk_avx2_1_10, SG__TGT_AVX2, 1, 10)
SG__UK_DEF(sg__uk_avx2_1_11, SG__TGT_AVX2, 1, 11) SG__UK_DEF(sg__uk_avx2_1_12, SG__TGT_AVX2, 1, 12)
SG__UK_DEF(sg__uk_avx2_2_1, SG__TGT_AVX2, 2, 1) SG__UK_DEF(sg__uk_avx2_2_2, SG__TGT_AVX2, 2, 2)
SG__UK_DEF(sg__uk_avx2_2_3, SG__TGT_AVX2, 2, 3) SG__UK_DEF(sg__uk_avx2_2_4, SG__TGT_AVX2, 2, 4)
SG__UK_DEF(sg__uk_avx2_2_5, SG__TGT_AVX2, 2, 5) SG__UK_DEF(sg__uk_avx2_2_6, SG__TGT_AVX2, 2, 6)
SG__DOT_DEF(sg__dot_avx2_4x2, SG__TGT_AVX2, 4, 2)
SG__DOT_DEF(sg__dot_avx2_2x4, SG__TGT_AVX2, 2, 4)
SG__DOT_DEF(sg__dot_avx2_1x8, SG__TGT_AVX2, 1, 8)
#undef SG__V
#undef SG__W
#undef SG__VZERO
#undef SG__VLOAD
#undef SG__VBCAST
#undef SG__VSET1
#undef SG__VFMA
#undef SG__VMUL
#undef SG__VSTORE
#undef SG__VRED8
#endif

/* ---- AVX-512 kernels (12x32 and 12x16, zmm; the dot path uses AVX2's) ---- */
#ifdef SG__GEMM_AVX512
#define SG__V __m512
#define SG__W 16
#define SG__VZERO() _mm512_setzero_ps()
#define SG__VLOAD(p) _mm512_loadu_ps(p)
#define SG__VBCAST(p) _mm512_set1_ps(*(p))
#define SG__VSET1(x) _mm512_set1_ps(x)
#define SG__VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SG__VMUL(a, b) _mm512_mul_ps(a, b)
#define SG__VSTORE(p, v) _mm512_storeu_ps(p, v)
SG__UK_DEF(sg__uk_avx512_1_1, SG__TGT_AVX512, 1, 1) SG__UK_DEF(sg__uk_avx512_1_2, SG__TGT_AVX512, 1, 2)
SG__UK_DEF(sg__uk_avx512_1_3, SG__TGT_AVX512, 1, 3) SG__UK_DEF(sg__uk_avx512_1_4, SG__TGT_AVX512, 1, 4)
SG__UK_DEF(sg__uk_avx512_1_5, SG__TGT_AVX512, 1, 5) SG__UK_DEF(sg__uk_avx512_1_6, SG__TGT_AVX512, 1, 6)
SG__UK_DEF(sg__uk_avx512_1_7, SG__TGT_AVX512, 1, 7) SG__UK_DEF(sg__uk_avx512_1_8, SG__TGT_AVX512, 1, 8)
SG__UK_DEF(sg__uk_avx512_1_9, SG__TGT_AVX512, 1, 9) SG__UK_DEF(sg__uk_avx512_1_10, SG__TGT_AVX512, 1, 10)
SG__UK_DEF(sg__uk_avx512_1_11, SG__TGT_AVX512, 1, 11) SG__UK_DEF(sg__uk_avx512_1_12, SG__TGT_AVX512, 1, 12)
SG__UK_DEF(sg__uk_avx512_2_1, SG__TGT_AVX512, 2, 1) SG__UK_DEF(sg__uk_avx512_2_2, SG__TGT_AVX512, 2, 2)
SG__UK_DEF(sg__uk_avx512_2_3, SG__TGT_AVX512, 2, 3) SG__UK_DEF(sg__uk_avx512_2_4, SG__TGT_AVX512, 2, 4)
SG__UK_DEF(sg__uk_avx512_2_5, SG__TGT_AVX512, 2, 5) SG__UK_DEF(sg__uk_avx512_2_6, SG__TGT_AVX512, 2, 6)
SG__UK_DEF(sg__uk_avx512_2_7, SG__TGT_AVX512, 2, 7) SG__UK_DEF(sg__uk_avx512_2_8, SG__TGT_AVX512, 2, 8)
SG__UK_DEF(sg__uk_avx512_2_9, SG__TGT_AVX512, 2, 9) SG__UK_DEF(sg__uk_avx512_2_10, SG__TGT_AVX512, 2, 10)
SG__UK_DEF(sg__uk_avx512_2_11, SG__TGT_AVX512, 2, 11) SG__UK_DEF(sg__uk_avx512_2_12, SG__TGT_AVX512, 2, 12)
#undef SG__V
#undef SG__W
#undef SG__VZERO
#undef SG__VLOAD
#undef SG__VBCAST
#undef SG__VSET1
#undef SG__VFMA
#undef SG__VMUL
#undef SG__VSTORE
#endif

/* ---- packing ----
 * The bodies are inlined into one wrapper per kernel family, compiled for its
 * instruction set (the AVX2 build of these copies runs about 1.6x faster than
 * the baseline x86-64 one). */
#if defined(SG__GNUC)
#define SG__PACK_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define SG__PACK_INLINE static __forceinline
#else
#define SG__PACK_INLINE static
#endif
/* Copy n floats, n a multiple of w (4, 8 or 16): fixed-size copies the
 * compiler inlines (a libc memcpy call per 64 bytes costs more than the copy). */
SG__PACK_INLINE void sg__copy_vecs(float *d, const float *s, int n, int w) {
    int i;
    if (w == 16) for (i = 0; i < n; i += 16) memcpy(d + i, s + i, 16 * sizeof(float));
    else if (w == 8) for (i = 0; i < n; i += 8) memcpy(d + i, s + i, 8 * sizeof(float));
    else for (i = 0; i < n; i += 4) memcpy(d + i, s + i, 4 * sizeof(float));
}
/* Pack a kc x nc block of op(B) at (k0, j0) into panels of nrp columns: panel p
 * at dst + p * nrp * kc; the last holds roundup(rest, w) columns, zero-padded. */
SG__PACK_INLINE void sg__pack_b_any(int tb, const float *B, int ldb, int k0, int j0, int kc, int nc, int nrp, int w, float *dst) {
    int j = 0, k, c;
    if (!tb) {
        /* whole panels row by row: each row of the block is one contiguous
         * run (whole cache lines of one page), and the rows a few ahead are
         * prefetched: rows ldb apart are pages apart, where the hardware
         * prefetchers stop */
        int full = nc / nrp * nrp;
        for (k = 0; k < kc && full > 0; k++) {
            const float *s = B + (size_t)(k0 + k) * ldb + j0;
            float *d = dst + (size_t)k * nrp;
            if (k + 4 < kc)
                for (j = 0; j < full; j += 16) SG__PREFETCH(s + 4 * (size_t)ldb + j);
            for (j = 0; j < full; j += nrp) sg__copy_vecs(d + (size_t)j * kc, s + j, nrp, w);
        }
        j = full;
        if (j >= nc) return;
        for (k = 0; k < kc; k++) {
            const float *src = B + (size_t)(k0 + k) * ldb + j0;
            int j1;
            for (j1 = j; j1 < nc; j1 += nrp) {
                int jj = j1;
                int nr = nc - jj < nrp ? nc - jj : nrp, pw = nr == nrp ? nrp : (nr + w - 1) / w * w;
                float *d = dst + (size_t)jj * kc + (size_t)k * pw;
                if (nr == pw) sg__copy_vecs(d, src + jj, nr, w);
                else {
                    for (c = 0; c < nr; c++) d[c] = src[jj + c];
                    for (; c < pw; c++) d[c] = 0.0f;
                }
            }
        }
    } else {
        for (j = 0; j < nc; j += nrp) {
            int nr = nc - j < nrp ? nc - j : nrp, pw = nr == nrp ? nrp : (nr + w - 1) / w * w;
            float *d = dst + (size_t)j * kc;
            for (c = 0; c < nr; c++) {
                const float *src = B + (size_t)(j0 + j + c) * ldb + k0;
                for (k = 0; k < kc; k++) d[(size_t)k * pw + c] = src[k];
            }
            for (; c < pw; c++)
                for (k = 0; k < kc; k++) d[(size_t)k * pw + c] = 0.0f;
        }
    }
}
/* Pack an h x kc tile of op(A) at (i0, k0) into dst[k * h + r]. */
SG__PACK_INLINE void sg__pack_a_any(int ta, const float *A, int lda, int i0, int k0, int h, int kc, float *dst) {
    int r, k;
    if (ta) {
        for (k = 0; k < kc; k++) memcpy(dst + (size_t)k * h, A + (size_t)(k0 + k) * lda + i0, (size_t)h * sizeof(float));
    } else {
        for (r = 0; r < h; r++) {
            const float *src = A + (size_t)(i0 + r) * lda + k0;
            for (k = 0; k < kc; k++) dst[(size_t)k * h + r] = src[k];
        }
    }
}
typedef void (*sg__packbfn)(int tb, const float *B, int ldb, int k0, int j0, int kc, int nc, int nrp, int w, float *dst);
typedef void (*sg__packafn)(int ta, const float *A, int lda, int i0, int k0, int h, int kc, float *dst);
/* W: the family's vector width (panels are 2 W wide), a constant here so that
 * the copies inline to whole-vector moves */
#define SG__PACK_DEF(SUF, TGT, W, BT, AN)                                                                \
    SG__INTERNAL TGT void sg__pack_b##SUF(int tb, const float *B, int ldb, int k0, int j0, int kc, int nc, \
                                          int nrp, int w, float *dst) {                                  \
        (void)nrp; (void)w;                                                                              \
        if (tb) BT(B, ldb, k0, j0, kc, nc, 2 * (W), dst);                                                \
        else sg__pack_b_any(tb, B, ldb, k0, j0, kc, nc, 2 * (W), W, dst);                                \
    }                                                                                                    \
    SG__INTERNAL TGT void sg__pack_a##SUF(int ta, const float *A, int lda, int i0, int k0, int h, int kc, \
                                          float *dst) {                                                  \
        if (!ta && h <= 8) AN(A, lda, i0, k0, h, kc, dst);                                               \
        else sg__pack_a_any(ta, A, lda, i0, k0, h, kc, dst);                                             \
    }
SG__INTERNAL void sg__pack_bt_gen(const float *B, int ldb, int k0, int j0, int kc, int nc, int nrp, float *dst) {
    sg__pack_b_any(1, B, ldb, k0, j0, kc, nc, nrp, 4, dst);
}
SG__INTERNAL void sg__pack_an_gen(const float *A, int lda, int i0, int k0, int h, int kc, float *dst) {
    sg__pack_a_any(0, A, lda, i0, k0, h, kc, dst);
}
SG__PACK_DEF(_gen, , 4, sg__pack_bt_gen, sg__pack_an_gen)
#if defined(SG__GEMM_AVX2) || defined(SG__GEMM_AVX512)
/* Transpose the 8 x 8 block r[0..7] (rows) into its columns, stored at o, o +
 * ld, ..., o + 7 ld in that order. */
SG__PACK_INLINE SG__TGT_AVX2 void sg__tr8x8_avx2(const __m256 *r, float *o, size_t ld) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(o, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(o + ld, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(o + 2 * ld, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(o + 3 * ld, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(o + 4 * ld, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(o + 5 * ld, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(o + 6 * ld, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(o + 7 * ld, _mm256_permute2f128_ps(u3, u7, 0x31));
}
/* op(B) = B^T (tb): panel rows are B's columns, so packing is a transpose; by
 * 8 x 8 blocks in registers, the ragged edges in scalar. */
SG__INTERNAL SG__TGT_AVX2 void sg__pack_bt_avx2(const float *B, int ldb, int k0, int j0, int kc, int nc, int nrp,
                                                float *dst) {
    int j, k, c, r;
    for (j = 0; j < nc; j += nrp) {
        int nr = nc - j < nrp ? nc - j : nrp, pw = nr == nrp ? nrp : (nr + 7) / 8 * 8;
        float *d = dst + (size_t)j * kc;
        for (c = 0; c + 8 <= nr; c += 8) {
            const float *s = B + (size_t)(j0 + j + c) * ldb + k0;
            for (k = 0; k + 8 <= kc; k += 8) {
                __m256 rv[8];
                for (r = 0; r < 8; r++) rv[r] = _mm256_loadu_ps(s + (size_t)r * ldb + k);
                sg__tr8x8_avx2(rv, d + (size_t)k * pw + c, (size_t)pw);
            }
            for (; k < kc; k++)
                for (r = 0; r < 8; r++) d[(size_t)k * pw + c + r] = s[(size_t)r * ldb + k];
        }
        for (; c < nr; c++) {
            const float *s = B + (size_t)(j0 + j + c) * ldb + k0;
            for (k = 0; k < kc; k++) d[(size_t)k * pw + c] = s[k];
        }
        for (; c < pw; c++)
            for (k = 0; k < kc; k++) d[(size_t)k * pw + c] = 0.0f;
    }
}
/* Row-major A, h <= 8 rows: dst[k * h + r] by 8 x 8 transposes (missing rows
 * repeat the last). Each k's 8-float store spills 8 - h floats that the next
 * k's store overwrites; past the tile they land in the next tile, packed
 * after it, or in the SG__PACK_SLACK floats after the buffer. */
SG__INTERNAL SG__TGT_AVX2 void sg__pack_an_avx2(const float *A, int lda, int i0, int k0, int h, int kc, float *dst) {
    const float *s[8];
    int r, k;
    for (r = 0; r < 8; r++) s[r] = A + (size_t)(i0 + (r < h ? r : h - 1)) * lda + k0;
    for (k = 0; k + 8 <= kc; k += 8) {
        __m256 rv[8];
        for (r = 0; r < 8; r++) rv[r] = _mm256_loadu_ps(s[r] + k);
        sg__tr8x8_avx2(rv, dst + (size_t)k * h, (size_t)h);
    }
    for (; k < kc; k++)
        for (r = 0; r < h; r++) dst[(size_t)k * h + r] = s[r][k];
}
#endif
#ifdef SG__GEMM_AVX2
SG__PACK_DEF(_avx2, SG__TGT_AVX2, 8, sg__pack_bt_avx2, sg__pack_an_avx2)
#endif
#ifdef SG__GEMM_AVX512
SG__PACK_DEF(_avx512, SG__TGT_AVX512, 16, sg__pack_bt_avx2, sg__pack_an_avx2)
#endif

/* ---- kernel table and CPU dispatch ---- */
typedef void (*sg__ukfn)(int kc, const float *a, ptrdiff_t rsa, ptrdiff_t csa, const float *b, ptrdiff_t ldbk, float *c,
                         ptrdiff_t ldc, int nr, float alpha, float beta);
typedef void (*sg__dotfn)(int kc, const float *a, ptrdiff_t lda, int mr, const float *b, ptrdiff_t ldb, int nr, float *c,
                          ptrdiff_t ldc, float alpha, float beta);
typedef struct sg__gemm_isa {
    int id;           /* SG_GEMM_KERNEL_* */
    const char *name;
    int mr, w;        /* tile rows; vector width (the panel is 2 w wide) */
    int mr1;          /* the most rows of a one-vector kernel (two tiles merged) */
    sg__ukfn uk[2][13]; /* uk[nv - 1][rows] */
    sg__dotfn dot4x2, dot2x4, dot1x8;
    sg__packbfn pack_b;
    sg__packafn pack_a;
} sg__gemm_isa;

static const sg__gemm_isa sg__isa_gen = {
    SG_GEMM_KERNEL_GENERIC, "generic", 4, 4, 4,
    {{NULL, sg__uk_gen_1_1, sg__uk_gen_1_2, sg__uk_gen_1_3, sg__uk_gen_1_4},
     {NULL, sg__uk_gen_2_1, sg__uk_gen_2_2, sg__uk_gen_2_3, sg__uk_gen_2_4}},
    sg__dot_gen_4x2, sg__dot_gen_2x4, sg__dot_gen_1x8, sg__pack_b_gen, sg__pack_a_gen};
#ifdef SG__GEMM_AVX2
static const sg__gemm_isa sg__isa_avx2 = {
    SG_GEMM_KERNEL_AVX2, "avx2", 6, 8, 12,
    {{NULL, sg__uk_avx2_1_1, sg__uk_avx2_1_2, sg__uk_avx2_1_3, sg__uk_avx2_1_4, sg__uk_avx2_1_5, sg__uk_avx2_1_6,
      sg__uk_avx2_1_7, sg__uk_avx2_1_8, sg__uk_avx2_1_9, sg__uk_avx2_1_10, sg__uk_avx2_1_11, sg__uk_avx2_1_12},
     {NULL, sg__uk_avx2_2_1, sg__uk_avx2_2_2, sg__uk_avx2_2_3, sg__uk_avx2_2_4, sg__uk_avx2_2_5, sg__uk_avx2_2_6}},
    sg__dot_avx2_4x2, sg__dot_avx2_2x4, sg__dot_avx2_1x8, sg__pack_b_avx2, sg__pack_a_avx2};
#endif
#ifdef SG__GEMM_AVX512
static const sg__gemm_isa sg__isa_avx512 = {
    SG_GEMM_KERNEL_AVX512, "avx512", 12, 16, 12,
    {{NULL, sg__uk_avx512_1_1, sg__uk_avx512_1_2, sg__uk_avx512_1_3, sg__uk_avx512_1_4, sg__uk_avx512_1_5,
      sg__uk_avx512_1_6, sg__uk_avx512_1_7, sg__uk_avx512_1_8, sg__uk_avx512_1_9, sg__uk_avx512_1_10,
      sg__uk_avx512_1_11, sg__uk_avx512_1_12},
     {NULL, sg__uk_avx512_2_1, sg__uk_avx512_2_2, sg__uk_avx512_2_3, sg__uk_avx512_2_4, sg__uk_avx512_2_5,
      sg__uk_avx512_2_6, sg__uk_avx512_2_7, sg__uk_avx512_2_8, sg__uk_avx512_2_9, sg__uk_avx512_2_10,
      sg__uk_avx512_2_11, sg__uk_avx512_2_12}},
    sg__dot_avx2_4x2, sg__dot_avx2_2x4, sg__dot_avx2_1x8, sg__pack_b_avx512, sg__pack_a_avx512};
#endif

/* What this CPU runs: a bit mask of 1 << SG_GEMM_KERNEL_*. */
SG__INTERNAL int sg__gemm_cpu_mask(void) {
    int m = 1 << SG_GEMM_KERNEL_GENERIC;
#if defined(SG__GEMM_CPUID)
    unsigned a, b, c, d, xlo = 0, xhi = 0;
    if (__get_cpuid_max(0, NULL) < 7) return m;
    __cpuid_count(1, 0, a, b, c, d);
    if (!(c & (1u << 27)) || !(c & (1u << 28)) || !(c & (1u << 12))) return m; /* OSXSAVE, AVX, FMA */
    __asm__ __volatile__("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
    (void)xhi;
    if ((xlo & 6u) != 6u) return m; /* the OS saves XMM and YMM state */
    __cpuid_count(7, 0, a, b, c, d);
    if (b & (1u << 5)) m |= 1 << SG_GEMM_KERNEL_AVX2;
    if ((b & (1u << 5)) && (b & (1u << 16)) && (xlo & 0xE6u) == 0xE6u) m |= 1 << SG_GEMM_KERNEL_AVX512;
#else
#ifdef SG__GEMM_AVX2
    m |= 1 << SG_GEMM_KERNEL_AVX2;
#endif
#ifdef SG__GEMM_AVX512
    m |= 1 << SG_GEMM_KERNEL_AVX512;
#endif
#endif
    return m;
}
static int sg__gemm_mask = -1;  /* what the CPU runs, probed once */
static int sg__gemm_forced = 0; /* SG_GEMM_KERNEL_* set by sg_gemm_set_kernel, 0 = best */
static int sg__gemm_threads = 0; /* sg_set_num_threads, 0 = not set yet */
SG__INTERNAL const sg__gemm_isa *sg__gemm_isa_get(void) {
    int want;
    if (sg__gemm_mask < 0) sg__gemm_mask = sg__gemm_cpu_mask();
    want = sg__gemm_forced;
    (void)want;
#ifdef SG__GEMM_AVX512
    if ((want == 0 || want == SG_GEMM_KERNEL_AVX512) && (sg__gemm_mask >> SG_GEMM_KERNEL_AVX512 & 1)) return &sg__isa_avx512;
#endif
#ifdef SG__GEMM_AVX2
    if ((want == 0 || want == SG_GEMM_KERNEL_AVX2) && (sg__gemm_mask >> SG_GEMM_KERNEL_AVX2 & 1)) return &sg__isa_avx2;
#endif
    return &sg__isa_gen;
}
SG__DEF int sg_gemm_set_kernel(int kernel) {
    if (sg__gemm_mask < 0) sg__gemm_mask = sg__gemm_cpu_mask();
    if (kernel < SG_GEMM_KERNEL_AUTO || kernel > SG_GEMM_KERNEL_AVX512)
        return sg__lerr(SG_ERR_ARG, "sg_gemm_set_kernel: unknown kernel %d", kernel);
    if (kernel != SG_GEMM_KERNEL_AUTO) {
        int built = kernel == SG_GEMM_KERNEL_GENERIC;
#ifdef SG__GEMM_AVX2
        if (kernel == SG_GEMM_KERNEL_AVX2) built = 1;
#endif
#ifdef SG__GEMM_AVX512
        if (kernel == SG_GEMM_KERNEL_AVX512) built = 1;
#endif
        if (!built || !(sg__gemm_mask >> kernel & 1))
            return sg__lerr(SG_ERR_UNSUPPORTED, "sg_gemm_set_kernel: the %s kernel is not %s",
                            kernel == SG_GEMM_KERNEL_AVX2 ? "AVX2" : "AVX-512",
                            built ? "supported by this CPU" : "built into this build");
    }
    sg__gemm_forced = kernel;
    return SG_OK;
}
SG__DEF const char *sg_gemm_kernel_name(void) {
#ifdef SYMGRAPH_USE_CBLAS
    return "cblas";
#else
    return sg__gemm_isa_get()->name;
#endif
}

/* ---- threads ---- */
SG__INTERNAL int sg__gemm_default_threads(void) {
    int n = 1;
#ifdef _OPENMP
    n = omp_get_max_threads();
#elif defined(SG__GEMM_POOL)
    n = (int)sysconf(_SC_NPROCESSORS_ONLN);
#endif
    return n < 1 ? 1 : n > SYMGRAPH_MAX_THREADS ? SYMGRAPH_MAX_THREADS : n;
}
SG__DEF int sg_set_num_threads(int n) {
#if defined(_OPENMP) || defined(SG__GEMM_POOL)
    sg__gemm_threads = n <= 0 ? sg__gemm_default_threads() : n > SYMGRAPH_MAX_THREADS ? SYMGRAPH_MAX_THREADS : n;
#else
    (void)n;
    sg__gemm_threads = 1;
#endif
    return sg__gemm_threads;
}
SG__DEF int sg_get_num_threads(void) {
    if (sg__gemm_threads <= 0) sg__gemm_threads = sg__gemm_default_threads();
    return sg__gemm_threads;
}

/* Split mc rows into ceil(mc / mr) tiles of as equal heights as can be (50
 * rows: five of 6 and four of 5, not eight of 6 and one of 2, whose kernel has
 * too few accumulators to hide the FMA latency). Returns the count. */
SG__INTERNAL int sg__tiles(int mc, int mr, int *h) {
    int n = (mc + mr - 1) / mr, i, base, extra;
    if (n < 1) return 0;
    base = mc / n;
    extra = mc - base * n;
    for (i = 0; i < n; i++) h[i] = base + (i < extra);
    return n;
}

/* ---- the blocked driver ---- */
typedef struct sg__gemm_job {
    const sg__gemm_isa *isa;
    int ta, tb, M, N, K, lda, ldb, ldc;
    float alpha, beta;
    const float *A, *B;
    float *C, *ws;
    int nt, split_m;     /* threads; split along M (else N) */
    int nout;            /* columns [0, nout) by the outer path, [nout, N) by the dot path */
    int ncb;             /* packed B columns per thread */
    int kca;             /* k block depth where row-major A is read in place (>= SG__KC) */
    size_t slice;        /* floats of workspace per thread */
    sg__task_fn task;    /* set: not a product but task(ctx, part, nt) per part (sg__parallel) */
    void *ctx;
} sg__gemm_job;

/* C[m0:m1, n0:n1] by the outer-product path. */
/* The dot tiles of rows [m0, m1), columns [n0, n0 + nd), k block [pc, pc + kc),
 * with op(B)'s columns as rows of bt (ldbt apart). */
SG__INTERNAL void sg__dot_tiles(const sg__gemm_job *x, int m0, int m1, int n0, int nd, int pc, int kc, float beta,
                                const float *bt, ptrdiff_t ldbt) {
    const sg__gemm_isa *isa = x->isa;
    int i, j, R, S;
    sg__dotfn fn;
    if (m1 - m0 <= 2) { fn = isa->dot1x8; R = 1; S = 8; }
    else if (nd > 2 && nd <= 4) { fn = isa->dot2x4; R = 2; S = 4; }
    else { fn = isa->dot4x2; R = 4; S = 2; }
    for (j = 0; j < nd; j += S)
        for (i = m0; i < m1; i += R)
            fn(kc, x->A + (size_t)i * x->lda + pc, x->lda, m1 - i < R ? m1 - i : R, bt + (size_t)j * ldbt, ldbt,
               nd - j < S ? nd - j : S, x->C + (size_t)i * x->ldc + n0 + j, x->ldc, x->alpha, beta);
}
/* op(B)'s columns [n0, n0 + nd) over k block [pc, pc + kc) as rows: B itself
 * when tb, else packed into dst (nd x kc). */
SG__INTERNAL const float *sg__dot_bt(const sg__gemm_job *x, int n0, int nd, int pc, int kc, float *dst, ptrdiff_t *ldbt) {
    int k, j;
    if (x->tb) {
        *ldbt = x->ldb;
        return x->B + (size_t)n0 * x->ldb + pc;
    }
    for (k = 0; k < kc; k++) {
        const float *src = x->B + (size_t)(pc + k) * x->ldb + n0;
        for (j = 0; j < nd; j++) dst[(size_t)j * kc + k] = src[j];
    }
    *ldbt = kc;
    return dst;
}
/* C[m0:m1, n0:n1] by the outer-product path, and the dot-path tail columns
 * [n1, d1) (d1 > n1 only with ta == 0, d1 - n1 <= 8) block by block with it,
 * while each block of A is in L2. */
SG__INTERNAL void sg__gemm_outer(const sg__gemm_job *x, int m0, int m1, int n0, int n1, int d1, float *wa, float *wx,
                                 float *wb) {
    const sg__gemm_isa *isa = x->isa;
    int MR = isa->mr, W = isa->w, NR = 2 * isa->w, K = x->K;
    /* row-major B is read in place for a few rows (packing would not pay) or
     * when the whole k block of it is small enough to stay in L1 */
    int direct_b = !x->tb && (m1 - m0 <= SG__DIRECT_B_MAXM || (size_t)(K < SG__KC ? K : SG__KC) * x->ldb <= 4096);
    /* A is packed when transposed, and row-major when a block of it meets at
     * least SG__PACKA_MINN columns: a sliver read in place is MR rows lda
     * apart, which cost 5-15% in the micro-kernel (set conflicts when lda is a
     * multiple of 1 KiB), more than the copy costs once spread over the panels */
    int pack_a = x->ta || (m1 - m0 > SG__DIRECT_B_MAXM && n1 - n0 >= SG__PACKA_MINN);
    int jc, pc, ic, jr, t, h[SG__MC / 4 + 2], ncb = x->ncb;
    /* k blocks of equal depth (784 = 4 x 196, not 3 x 256 + 16: a shallow
     * block pays a whole C update for little work). Where more than
     * SG__DIRECT_B_MAXM rows of A are read in place (and B packed) they are up
     * to x->kca deep: the tiles then read A's rows whole, one contiguous
     * stream that the hardware prefetchers follow; 1000-byte pieces of rows
     * 2000 bytes apart broke it (4096x500x50: +7-10%) */
    int kmax = !pack_a && !direct_b && m1 - m0 > SG__DIRECT_B_MAXM ? x->kca : SG__KC;
    int nkb = (K + kmax - 1) / kmax, kcb = (K + nkb - 1) / nkb;
    /* the dot tail's B^T rows: after a deep packed B block, else in wx */
    float *wt = kmax > SG__KC ? wb + (size_t)kmax * x->ncb : wx + SG__KC * 32;
    /* B blocks for rows that fit one MC block stay in L2 (256 KiB) with that
     * block of A; larger M reuses the block from L3 across its row blocks */
    if (m1 - m0 <= SG__MC && ncb > SG__NCB_SMALLM) ncb = SG__NCB_SMALLM;
    for (jc = n0; jc < n1; jc += ncb) {
        int nc = n1 - jc < ncb ? n1 - jc : ncb, tail = jc + nc >= n1 && d1 > n1;
        for (pc = 0; pc < K; pc += kcb) {
            int kc = K - pc < kcb ? K - pc : kcb;
            float beta = pc == 0 ? x->beta : 1.0f;
            const float *bt = NULL;
            ptrdiff_t ldbt = 0;
            if (!direct_b) isa->pack_b(x->tb, x->B, x->ldb, pc, jc, kc, nc, NR, W, wb);
            if (tail) bt = sg__dot_bt(x, n1, d1 - n1, pc, kc, wt, &ldbt);
            for (ic = m0; ic < m1; ic += SG__MC) {
                int mc = m1 - ic < SG__MC ? m1 - ic : SG__MC, nti = sg__tiles(mc, MR, h);
                if (pack_a) {
                    float *d = wa;
                    int row = ic;
                    for (t = 0; t < nti; t++) {
                        isa->pack_a(x->ta, x->A, x->lda, row, pc, h[t], kc, d);
                        d += (size_t)h[t] * kc;
                        row += h[t];
                    }
                }
                for (jr = 0; jr < nc; jr += NR) {
                    int nr = nc - jr < NR ? nc - jr : NR, nv = nr > W ? 2 : 1;
                    const float *b;
                    ptrdiff_t ldbk;
                    const float *ap = wa;
                    int row = ic;
                    if (!direct_b) {
                        b = wb + (size_t)jr * kc;
                        ldbk = nr == NR ? NR : nv * W;
                    } else if (nr % W == 0) {
                        b = x->B + (size_t)pc * x->ldb + jc + jr;
                        ldbk = x->ldb;
                    } else { /* a partial panel of row-major B: copy it, padded, not to read past B */
                        isa->pack_b(0, x->B, x->ldb, pc, jc + jr, kc, nr, NR, W, wx);
                        b = wx;
                        ldbk = nv * W;
                    }
                    for (t = 0; t < nti; t++) {
                        float *c = x->C + (size_t)row * x->ldc + jc + jr;
                        if (pack_a) {
                            isa->uk[nv - 1][h[t]](kc, ap, 1, h[t], b, ldbk, c, x->ldc, nr, x->alpha, beta);
                            ap += (size_t)h[t] * kc;
                            row += h[t];
                        } else {
                            /* one-vector panels take two tiles at once: enough accumulators */
                            int rows = h[t];
                            if (nv == 1 && t + 1 < nti && h[t] + h[t + 1] <= isa->mr1) rows += h[++t];

                            isa->uk[nv - 1][rows](kc, x->A + (size_t)row * x->lda + pc, x->lda, 1, b, ldbk, c, x->ldc, nr,
                                                  x->alpha, beta);
                            row += rows;
                        }
                    }
                }
                if (tail) sg__dot_tiles(x, ic, ic + mc, n1, d1 - n1, pc, kc, beta, bt, ldbt);
            }
        }
    }
}
/* C[m0:m1, n0:n1] by the dot path (ta == 0). */
SG__INTERNAL void sg__gemm_dot(const sg__gemm_job *x, int m0, int m1, int n0, int n1, float *wx) {
    int K = x->K, nd = n1 - n0, pc, kcmax = x->tb ? SG__KCD : SG__AUX / nd;
    if (kcmax > SG__KCD) kcmax = SG__KCD;
    for (pc = 0; pc < K; pc += kcmax) {
        int kc = K - pc < kcmax ? K - pc : kcmax;
        ptrdiff_t ldbt;
        const float *bt = sg__dot_bt(x, n0, nd, pc, kc, wx, &ldbt);
        sg__dot_tiles(x, m0, m1, n0, nd, pc, kc, pc == 0 ? x->beta : 1.0f, bt, ldbt);
    }
}
/* Part `part` of the job, with workspace slice `slice`. */
SG__INTERNAL void sg__gemm_run(const sg__gemm_job *x, int part, int slice) {
    float *base, *wa, *wx, *wb;
    int tid = part;
    int m0 = 0, m1 = x->M, n0 = 0, n1 = x->N;
    if (x->task) { x->task(x->ctx, part, x->nt); return; }
    base = x->ws + (size_t)slice * x->slice;
    base = (float *)(((uintptr_t)base + 63) & ~(uintptr_t)63);
    wa = base;
    wx = wa + SG__MC * SG__KC + SG__PACK_SLACK;
    wb = wx + SG__AUX;
    if (x->nt > 1) {
        if (x->split_m) {
            int unit = x->nout > 0 ? x->isa->mr : 4, units = (x->M + unit - 1) / unit;
            m0 = (int)((long long)units * tid / x->nt) * unit;
            m1 = (int)((long long)units * (tid + 1) / x->nt) * unit;
            if (m1 > x->M) m1 = x->M;
        } else {
            int unit = x->nout > 0 ? 2 * x->isa->w : 8, units = (x->N + unit - 1) / unit;
            n0 = (int)((long long)units * tid / x->nt) * unit;
            n1 = (int)((long long)units * (tid + 1) / x->nt) * unit;
            if (n1 > x->N) n1 = x->N;
        }
        if (m0 >= m1 || n0 >= n1) return;
    }
    if (n0 < x->nout) sg__gemm_outer(x, m0, m1, n0, n1 < x->nout ? n1 : x->nout, n1, wa, wx, wb);
    else sg__gemm_dot(x, m0, m1, n0, n1, wx);
}

#ifdef SG__GEMM_POOL
/* The internal pool (SYMGRAPH_PTHREADS). Parts are claimed, not assigned: one
 * atomic word holds (job id, part count, next part), the caller claims parts
 * too, and it only ever waits for parts a worker has started. So a worker the
 * scheduler has parked behind another process (a loaded machine) costs
 * nothing: the caller runs its part. Workers spin ~1 ms for the next job,
 * then sleep on a condition variable. */
#if defined(__x86_64__) || defined(__i386__)
#define SG__PAUSE() __asm__ __volatile__("pause")
#else
#define SG__PAUSE() ((void)0)
#endif
static pthread_mutex_t sg__pool_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sg__pool_cv = PTHREAD_COND_INITIALIZER;
static struct {
    int nworkers;
    volatile int gen;                  /* job id; workers wake on a change */
    volatile int busy;                 /* a caller holds the pool */
    volatile unsigned long long claim; /* id << 32 | parts << 16 | next part */
    volatile int done;                 /* parts finished */
    sg__gemm_job job;
    pthread_t th[SYMGRAPH_MAX_THREADS];
} sg__pool;
/* Claim and run parts of job id until none is left; slice: the workspace
 * slice of this thread (< the part count: a worker beyond it stays out). */
SG__INTERNAL void sg__pool_work(unsigned id, int slice) {
    for (;;) {
        unsigned long long v = __atomic_load_n(&sg__pool.claim, __ATOMIC_ACQUIRE);
        unsigned parts = (unsigned)(v >> 16) & 0xFFFFu, next = (unsigned)v & 0xFFFFu;
        if ((unsigned)(v >> 32) != id || next >= parts || (unsigned)slice >= parts) return;
        if (!__atomic_compare_exchange_n(&sg__pool.claim, &v, v + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) continue;
        sg__gemm_run(&sg__pool.job, (int)next, slice);
        __atomic_fetch_add(&sg__pool.done, 1, __ATOMIC_RELEASE);
    }
}
SG__INTERNAL void *sg__pool_main(void *arg) {
    int slice = (int)(intptr_t)arg, seen = 0;
    for (;;) {
        int spins = 0; /* about a millisecond of spinning, then sleep */
        while (__atomic_load_n(&sg__pool.gen, __ATOMIC_ACQUIRE) == seen && spins < 30000) { spins++; SG__PAUSE(); }
        if (__atomic_load_n(&sg__pool.gen, __ATOMIC_ACQUIRE) == seen) {
            pthread_mutex_lock(&sg__pool_mu);
            while (__atomic_load_n(&sg__pool.gen, __ATOMIC_ACQUIRE) == seen) pthread_cond_wait(&sg__pool_cv, &sg__pool_mu);
            pthread_mutex_unlock(&sg__pool_mu);
        }
        seen = __atomic_load_n(&sg__pool.gen, __ATOMIC_ACQUIRE);
        sg__pool_work((unsigned)seen, slice);
    }
    return NULL;
}
/* Run job on x->nt parts; returns 0 when the pool is busy (another caller) or
 * could not start (the caller then runs the job alone). */
SG__INTERNAL int sg__pool_run(const sg__gemm_job *x) {
    int i, id;
    if (__atomic_exchange_n(&sg__pool.busy, 1, __ATOMIC_ACQUIRE)) return 0;
    pthread_mutex_lock(&sg__pool_mu);
    while (sg__pool.nworkers < x->nt - 1) {
        if (pthread_create(&sg__pool.th[sg__pool.nworkers], NULL, sg__pool_main, (void *)(intptr_t)(sg__pool.nworkers + 1)))
            break;
        pthread_detach(sg__pool.th[sg__pool.nworkers]);
        sg__pool.nworkers++;
    }
    if (sg__pool.nworkers < 1) {
        pthread_mutex_unlock(&sg__pool_mu);
        __atomic_store_n(&sg__pool.busy, 0, __ATOMIC_RELEASE);
        return 0;
    }
    sg__pool.job = *x; /* no worker is inside a part now: all of the last job's are done */
    __atomic_store_n(&sg__pool.done, 0, __ATOMIC_RELAXED);
    id = (sg__pool.gen + 1) & 0x7FFFFFFF;
    __atomic_store_n(&sg__pool.claim, (unsigned long long)(unsigned)id << 32 | (unsigned long long)x->nt << 16,
                     __ATOMIC_RELEASE);
    __atomic_store_n(&sg__pool.gen, id, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&sg__pool_cv);
    pthread_mutex_unlock(&sg__pool_mu);
    sg__pool_work((unsigned)id, 0);
    for (i = 0; __atomic_load_n(&sg__pool.done, __ATOMIC_ACQUIRE) < x->nt; i++) {
        SG__PAUSE();
        if (i > 2000) sched_yield(); /* a worker in a part was descheduled: let it run */
    }
    __atomic_store_n(&sg__pool.busy, 0, __ATOMIC_RELEASE);
    return 1;
}
#endif

/* Plan a blocked product: threads, split, column ranges, workspace. Returns
 * the floats of workspace it needs. share == 0: the product on the threads set
 * by sg_set_num_threads. share > 0: one thread, with 1 / share of
 * SG__GEMM_WS_FLOATS (the product is one of `share` run at once, see
 * sg__sgemm_share). */
SG__INTERNAL size_t sg__gemm_plan_share(sg__gemm_job *x, int ta, int tb, int M, int N, int K, int share) {
    const sg__gemm_isa *isa = sg__gemm_isa_get();
    int NR = 2 * isa->w, nt = 1, units, cols;
    size_t bfl;
    x->isa = isa;
    x->task = NULL;
    x->ctx = NULL;
    x->nout = N;
    if (!ta && K >= 8 && ((tb && M <= SG__DOT_MAXM) || N <= isa->w / 2)) x->nout = 0; /* all dot */
    else if (!ta && K >= 8 && N % isa->w <= isa->w / 2) x->nout = N - N % isa->w;     /* dot for the tail */
#if defined(_OPENMP) || defined(SG__GEMM_POOL)
    nt = sg__par_threads();
    if (2.0 * M * N * K < SG__GEMM_MT_FLOPS || share > 0) nt = 1;
#endif
    x->split_m = M >= N;
    units = x->split_m ? (M + (x->nout > 0 ? isa->mr : 4) - 1) / (x->nout > 0 ? isa->mr : 4)
                       : (N + (x->nout > 0 ? NR : 8) - 1) / (x->nout > 0 ? NR : 8);
    if (nt > units) nt = units;
    if (nt < 1) nt = 1;
    x->nt = nt;
    /* packed B columns per thread: an equal share of NC, at most what the part needs */
    x->ncb = SG__NC / (share > 0 ? share : nt) / NR * NR;
    bfl = (size_t)SG__KC * x->ncb; /* the B block this part may have */
    cols = x->split_m ? x->nout : (x->nout + nt - 1) / nt;
    cols = (cols + NR - 1) / NR * NR;
    if (x->ncb > cols) x->ncb = cols;
    if (x->ncb < NR) x->ncb = NR;
    /* fewer than SG__PACKA_MINN outer columns: every block of more than
     * SG__DIRECT_B_MAXM rows reads row-major A in place, in k blocks as deep
     * as the part's share of the workspace holds (B block and dot tail; see
     * sg__gemm_outer) */
    x->kca = SG__KC;
    if (!ta && x->nout > 0 && x->nout < SG__PACKA_MINN) {
        size_t k = bfl / ((size_t)x->ncb + 8);
        x->kca = k > SG__KCA ? SG__KCA : k < SG__KC ? SG__KC : (int)k;
    }
    x->slice = (size_t)SG__MC * SG__KC + SG__PACK_SLACK + SG__AUX + 16;
    x->slice += (size_t)x->kca * (x->ncb + (x->kca > SG__KC ? 8 : 0));
    return (size_t)nt * x->slice + 16;
}
SG__INTERNAL size_t sg__gemm_plan(sg__gemm_job *x, int ta, int tb, int M, int N, int K) {
    return sg__gemm_plan_share(x, ta, tb, M, N, K, 0);
}

/* ---- entry points ---- */
SG__INTERNAL void sg__sgemm_blocked(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                                    const float *B, int ldb, float beta, float *C, int ldc, float *ws, int part,
                                    int share) {
    sg__gemm_job x;
    if (alpha == 0.0f || K <= 0) { sg__scale_c(M, N, beta, C, ldc); return; }
    sg__gemm_plan_share(&x, ta, tb, M, N, K, share);
    x.ta = ta; x.tb = tb; x.M = M; x.N = N; x.K = K;
    x.lda = lda; x.ldb = ldb; x.ldc = ldc;
    x.alpha = alpha; x.beta = beta;
    x.A = A; x.B = B; x.C = C; x.ws = ws + (size_t)part * x.slice;
    if (x.nt > 1) {
#ifdef _OPENMP
        int t;
#pragma omp parallel for num_threads(x.nt) schedule(static, 1)
        for (t = 0; t < x.nt; t++) sg__gemm_run(&x, t, t);
        return;
#elif defined(SG__GEMM_POOL)
        if (sg__pool_run(&x)) return;
        x.nt = 1;
#endif
    }
    sg__gemm_run(&x, 0, 0);
}
/* The library's GEMM with a caller workspace (SG__GEMM_WS_FLOATS floats).
 * parts == 0: one product, on the threads set by sg_set_num_threads. parts > 0:
 * product `part` of `parts` (<= SYMGRAPH_MAX_THREADS) run at once on different
 * threads with the same workspace: each stays on its thread, in its own
 * 1 / parts of the workspace. */
SG__INTERNAL void sg__sgemm_share(int impl, int part, int parts, int ta, int tb, int M, int N, int K, float alpha,
                                  const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc,
                                  float *ws) {
    if (M <= 0 || N <= 0) return;
#ifdef SYMGRAPH_USE_CBLAS
    if (impl == SG_GEMM_AUTO) {
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda,
                    B, ldb, beta, C, ldc);
        return;
    }
#endif
    if (impl == SG_GEMM_NAIVE || !ws || (impl == SG_GEMM_AUTO && (double)M * N * K < SG__GEMM_TINY))
        sg__sgemm_naive(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else
        sg__sgemm_blocked(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, ws, part, parts);
}
SG__INTERNAL void sg__sgemm_ws(int impl, int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                               const float *B, int ldb, float beta, float *C, int ldc, float *ws) {
    sg__sgemm_share(impl, 0, 0, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, ws);
}
/* Threads a parallel region may use now: sg_get_num_threads(), or 1 inside an
 * OpenMP parallel region. */
SG__INTERNAL int sg__par_threads(void) {
#ifdef _OPENMP
    if (omp_in_parallel()) return 1;
#endif
    return sg_get_num_threads();
}
/* Run task(ctx, p, parts) for every p < parts, on up to `parts` threads (the
 * OpenMP team or the internal pool; the caller's thread alone when the build
 * has neither or the pool is busy). Parts must not depend on which thread runs
 * them, only on p. */
SG__INTERNAL void sg__parallel(int parts, sg__task_fn task, void *ctx) {
    int p;
    if (parts > 1) {
        (void)sg__gemm_isa_get(); /* the CPU probe writes once, here, not in the parts at once */
#ifdef _OPENMP
#pragma omp parallel for num_threads(parts) schedule(static, 1)
        for (p = 0; p < parts; p++) task(ctx, p, parts);
        return;
#elif defined(SG__GEMM_POOL)
        sg__gemm_job x;
        memset(&x, 0, sizeof x);
        x.nt = parts;
        x.task = task;
        x.ctx = ctx;
        if (sg__pool_run(&x)) return;
#endif
    }
    for (p = 0; p < parts; p++) task(ctx, p, parts);
}
SG__DEF void sg_sgemm_impl(int impl, int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
                           const float *B, int ldb, float beta, float *C, int ldc) {
    float *ws = NULL;
    if (M <= 0 || N <= 0) return;
#ifdef SYMGRAPH_USE_CBLAS
    if (impl == SG_GEMM_AUTO) { sg__sgemm_ws(impl, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, NULL); return; }
#endif
    if (impl == SG_GEMM_BLOCKED || (impl == SG_GEMM_AUTO && (double)M * N * K >= SG__GEMM_TINY)) {
        sg__gemm_job x;
        ws = (float *)sg__malloc(sg__gemm_plan(&x, ta, tb, M, N, K) * sizeof(float));
    }
    sg__sgemm_ws(ws ? impl : SG_GEMM_NAIVE, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, ws);
    sg__free(ws);
}
SG__DEF void sg_sgemm(int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda, const float *B,
                      int ldb, float beta, float *C, int ldc) {
    sg_sgemm_impl(SG_GEMM_AUTO, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
SG__DEF void sg_dgemm(int ta, int tb, int M, int N, int K, double alpha, const double *A, int lda, const double *B,
                      int ldb, double beta, double *C, int ldc) {
    int i, j, k;
#ifdef SYMGRAPH_USE_CBLAS
    if (M > 0 && N > 0) {
        cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda,
                    B, ldb, beta, C, ldc);
    }
    return;
#endif
    for (i = 0; i < M; i++) {
        double *c = C + (size_t)i * ldc;
        if (beta == 0.0) for (j = 0; j < N; j++) c[j] = 0.0;
        else if (beta != 1.0) for (j = 0; j < N; j++) c[j] *= beta;
        for (k = 0; k < K; k++) {
            double a = alpha * (ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k]);
            for (j = 0; j < N; j++) c[j] += a * (tb ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j]);
        }
    }
}


/* ========================================================================== */
/* 8. Executor                                                                */
/* ========================================================================== */
/* bind: topological order, shape and dtype inference from the bound arrays, a
 * memory plan (each intermediate entry and each gradient gets a storage slot;
 * a slot whose last reader has run is reused; elementwise operators run in
 * place when their input has no later reader), then one arena for the slots
 * and the workspaces. forward runs the kernels in order; backward runs them in
 * reverse, summing the gradients of entries with several readers. */

typedef struct sg__item { /* one buffer to place: a data entry or a gradient */
    size_t bytes;
    int def, last;  /* first and last step that touch it */
    int alias;      /* item whose slot it shares (in place), or -1 */
    int slot;
    int entry, is_grad;
} sg__item;

struct sg_executor {
    sg_graph *g;
    const sg_symbol *sym;
    sg__plan p;
    int dev_type;
    int nargs, naux, nout;
    sg__node **argn, **auxn;
    int *arg_entry, *aux_entry;
    sg_ndarray **args, **grads, **aux;
    unsigned char *own_args, *own_grads, *own_aux;
    int *req;
    sg_ndarray *ent, *gent;
    unsigned char *need, *gstate, *runs_bwd;
    int *var_arg; /* per entry: argument index of a variable entry, or -1 */
    sg_ndarray **outs;
    char **out_names;
    char *arena;
    size_t arena_bytes;
    int own_arena;
    void *ws;
    size_t ws_bytes;
    float *gemm_ws;
    size_t *st_off, *st_bytes; /* per step: the node's state (sg__opdef.state) at arena + st_off */
    size_t planned, unplanned;
    sg_rng rng;
    int gemm, is_train, fwd_done;
    sg_ndarray **kin, **kout, **kog, **kig;
    int *kreq;
    char err[SG__ERRLEN];
    /* ---- device executors (dev_type != SG_CPU): the table and per-step kernels ---- */
    const sg_device_ops *dops;
    sg_dev_fwd_fn *dfwd;
    sg_dev_bwd_fn *dbwd;
};

SG__INTERNAL int sg__exerr(sg_executor *ex, int st) {
    if (ex) snprintf(ex->err, sizeof ex->err, "%s", ex->g ? ex->g->err : "error");
    return st;
}
SG__DEF const char *sg_executor_error(const sg_executor *ex) { return ex ? ex->err : "no executor"; }

SG__DEF void sg_executor_free(sg_executor *ex) {
    int i;
    if (!ex) return;
    for (i = 0; i < ex->nargs; i++) {
        if (ex->own_args && ex->own_args[i]) sg_nd_free(ex->args[i]);
        if (ex->own_grads && ex->own_grads[i]) sg_nd_free(ex->grads[i]);
    }
    for (i = 0; i < ex->naux; i++)
        if (ex->own_aux && ex->own_aux[i]) sg_nd_free(ex->aux[i]);
    for (i = 0; i < ex->nout && ex->out_names; i++) sg__free(ex->out_names[i]);
    sg__free(ex->out_names);
    sg__free(ex->argn); sg__free(ex->auxn); sg__free(ex->arg_entry); sg__free(ex->aux_entry);
    sg__free(ex->args); sg__free(ex->grads); sg__free(ex->aux);
    sg__free(ex->own_args); sg__free(ex->own_grads); sg__free(ex->own_aux);
    sg__free(ex->req);
    sg__free(ex->ent); sg__free(ex->gent);
    sg__free(ex->need); sg__free(ex->gstate); sg__free(ex->runs_bwd); sg__free(ex->var_arg);
    sg__free(ex->outs);
    sg__free(ex->st_off); sg__free(ex->st_bytes);
    if (ex->own_arena && ex->dops) ex->dops->free(ex->arena); /* device arena */
    else if (ex->own_arena) sg__free(ex->arena);
    sg__free(ex->dfwd); sg__free(ex->dbwd);
    sg__free(ex->kin); sg__free(ex->kout); sg__free(ex->kog); sg__free(ex->kig); sg__free(ex->kreq);
    sg__plan_free(&ex->p);
    sg__free(ex);
}

SG__INTERNAL int sg__uses_gemm(const sg__opdef *op) {
    return !strcmp(op->name, "FullyConnected") || !strcmp(op->name, "Convolution") ||
           !strcmp(op->name, "Deconvolution") || !strcmp(op->name, "dot") || !strcmp(op->name, "batch_dot") ||
           !strcmp(op->name, "RNN");
}
#define SG__ALIGN(x) (((x) + 63) & ~(size_t)63)

/* Find name among n names; -1 if absent. */
SG__INTERNAL int sg__find_name(const char *const *names, int n, const char *name) {
    int i;
    for (i = 0; names && i < n; i++)
        if (names[i] && !strcmp(names[i], name)) return i;
    return -1;
}

/* The core of bind; with bytes != NULL it only computes the arena size. */
SG__INTERNAL int sg__bind(sg_graph *g, const sg_symbol *s, int dev_type, const sg_bind_desc *d, sg_executor **out,
                          size_t *bytes) {
    sg_executor *ex;
    sg__plan *p;
    sg_shape *esh = NULL, *gshp = NULL;
    int *ety = NULL, *gty = NULL, st, i, j, k, ngiven = 0, nitems = 0, nslots = 0, maxio = 1, n2;
    const char **gnames = NULL;
    sg__item *items = NULL;
    size_t *slot_bytes = NULL, *slot_off = NULL, total, off;
    int *slot_last = NULL, *ent_item = NULL, *gent_item = NULL, *cons_first = NULL;
    char b1[256], b2[256];
    if (out) *out = NULL;
    if ((st = sg__check_sym(g, s, "bind")) != SG_OK) return st;
    if (!d) return sg__seterr(g, SG_ERR_ARG, "bind: the bind description is NULL");
    if (dev_type != SG_CPU && !sg_device_get(dev_type)) /* ---- device executors ---- */
        return sg__seterr(g, SG_ERR_UNSUPPORTED, "bind: no kernels registered for device type %d; link symgraph_cuda.cu and call sg_cuda_register()", dev_type);
    ex = (sg_executor *)sg__calloc(1, sizeof(sg_executor));
    if (!ex) return SG__NOMEM(g);
    ex->g = g;
    ex->sym = s;
    ex->dev_type = dev_type;
    ex->dops = sg_device_get(dev_type); /* NULL on the CPU */
    ex->gemm = SG_GEMM_AUTO;
    sg_rng_seed(&ex->rng, 0);
    p = &ex->p;
    if ((st = sg__plan_make(g, s, p)) != SG_OK) goto fail;
    /* arguments and auxiliary states in list order */
    sg__mark_aux(p->order, p->n);
    for (i = 0; i < p->n; i++)
        if (!p->order[i]->op) { if (p->order[i]->mark == 3) ex->naux++; else ex->nargs++; }
    ex->argn = (sg__node **)sg__calloc((size_t)ex->nargs + 1, sizeof(sg__node *));
    ex->auxn = (sg__node **)sg__calloc((size_t)ex->naux + 1, sizeof(sg__node *));
    ex->arg_entry = (int *)sg__calloc((size_t)ex->nargs + 1, sizeof(int));
    ex->aux_entry = (int *)sg__calloc((size_t)ex->naux + 1, sizeof(int));
    ex->args = (sg_ndarray **)sg__calloc((size_t)ex->nargs + 1, sizeof(sg_ndarray *));
    ex->grads = (sg_ndarray **)sg__calloc((size_t)ex->nargs + 1, sizeof(sg_ndarray *));
    ex->aux = (sg_ndarray **)sg__calloc((size_t)ex->naux + 1, sizeof(sg_ndarray *));
    ex->own_args = (unsigned char *)sg__calloc((size_t)ex->nargs + 1, 1);
    ex->own_grads = (unsigned char *)sg__calloc((size_t)ex->nargs + 1, 1);
    ex->own_aux = (unsigned char *)sg__calloc((size_t)ex->naux + 1, 1);
    ex->req = (int *)sg__calloc((size_t)ex->nargs + 1, sizeof(int));
    if (!ex->argn || !ex->auxn || !ex->arg_entry || !ex->aux_entry || !ex->args || !ex->grads || !ex->aux ||
        !ex->own_args || !ex->own_grads || !ex->own_aux || !ex->req) { st = SG__NOMEM(g); goto fail; }
    for (i = 0, j = 0, k = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        if (t->op) continue;
        if (t->mark == 3) { ex->auxn[k] = t; ex->aux_entry[k++] = p->base[i]; }
        else { ex->argn[j] = t; ex->arg_entry[j++] = p->base[i]; }
    }
    /* resolve the arrays */
    if (d->nargs < 0 || (d->nargs > 0 && !d->args)) { st = sg__seterr(g, SG_ERR_ARG, "bind: bad argument list"); goto fail; }
    if (!d->arg_names && d->nargs != ex->nargs) {
        st = sg__seterr(g, SG_ERR_ARG, "bind: %d arguments given by position, the symbol has %d", d->nargs, ex->nargs);
        goto fail;
    }
    for (i = 0; i < ex->nargs; i++) {
        int at = d->arg_names ? sg__find_name(d->arg_names, d->nargs, ex->argn[i]->name) : i;
        int gt = d->grad_names ? sg__find_name(d->grad_names, d->ngrads, ex->argn[i]->name) : (i < d->ngrads ? i : -1);
        if (at < 0 || !d->args[at]) { st = sg__seterr(g, SG_ERR_ARG, "bind: key `%s` is missing in `args`", ex->argn[i]->name); goto fail; }
        ex->args[i] = d->args[at];
        ex->grads[i] = (gt >= 0 && d->grads) ? d->grads[gt] : NULL;
        ex->req[i] = d->grad_req ? d->grad_req[i] : SG_REQ_WRITE;
        if (ex->req[i] != SG_REQ_NULL && ex->req[i] != SG_REQ_WRITE && ex->req[i] != SG_REQ_ADD) {
            st = sg__seterr(g, SG_ERR_ARG, "bind: grad_req %d of argument %s is not null (0), write (1) or add (3)", ex->req[i], ex->argn[i]->name);
            goto fail;
        }
        if (!ex->grads[i]) ex->req[i] = SG_REQ_NULL;
        if (ex->args[i]->dev_type != dev_type) {
            st = dev_type == SG_CPU ? sg__seterr(g, SG_ERR_ARG, "bind: argument %s is not on the CPU", ex->argn[i]->name)
                                    : sg__seterr(g, SG_ERR_ARG, "bind: argument %s is not on device type %d", ex->argn[i]->name, dev_type);
            goto fail;
        }
        if (dev_type != SG_CPU && ex->grads[i] && ex->grads[i]->dev_type != dev_type) { /* ---- device executors ---- */
            st = sg__seterr(g, SG_ERR_ARG, "bind: the gradient of %s is not on device type %d", ex->argn[i]->name, dev_type);
            goto fail;
        }
    }
    for (i = 0; i < ex->naux; i++) {
        int at = d->aux_names ? sg__find_name(d->aux_names, d->naux, ex->auxn[i]->name) : (i < d->naux ? i : -1);
        if (at < 0 || !d->aux || !d->aux[at]) {
            st = sg__seterr(g, SG_ERR_ARG, "bind: auxiliary state `%s` is missing in `aux_states`", ex->auxn[i]->name);
            goto fail;
        }
        ex->aux[i] = d->aux[at];
        if (dev_type != SG_CPU && ex->aux[i]->dev_type != dev_type) { /* ---- device executors ---- */
            st = sg__seterr(g, SG_ERR_ARG, "bind: auxiliary state %s is not on device type %d", ex->auxn[i]->name, dev_type);
            goto fail;
        }
    }
    /* shapes and dtypes from the bound arrays */
    n2 = ex->nargs + ex->naux;
    gnames = (const char **)sg__calloc((size_t)n2 + 1, sizeof(char *));
    gshp = (sg_shape *)sg__calloc((size_t)n2 + 1, sizeof(sg_shape));
    gty = (int *)sg__calloc((size_t)n2 + 1, sizeof(int));
    if (!gnames || !gshp || !gty) { st = SG__NOMEM(g); goto fail; }
    for (i = 0; i < n2; i++) {
        sg_ndarray *a = i < ex->nargs ? ex->args[i] : ex->aux[i - ex->nargs];
        gnames[ngiven] = i < ex->nargs ? ex->argn[i]->name : ex->auxn[i - ex->nargs]->name;
        gshp[ngiven] = a->shape;
        gty[ngiven] = a->dtype;
        if (a->shape.ndim == 0) { gshp[ngiven].ndim = 1; gshp[ngiven].dims[0] = 1; }
        ngiven++;
    }
    if ((st = sg__infer_pass(g, s, 1, ngiven, gnames, gshp, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, p, (void **)&esh)) != SG_OK) goto fail;
    if ((st = sg__infer_pass(g, s, 0, ngiven, gnames, NULL, gty, 0, NULL, NULL, NULL, NULL, NULL, NULL, p, (void **)&ety)) != SG_OK) goto fail;
    for (i = 0; i < p->n; i++) p->order[i]->id = i;
    for (i = 0; i < n2; i++) {
        sg_ndarray *a = i < ex->nargs ? ex->args[i] : ex->aux[i - ex->nargs];
        int e = i < ex->nargs ? ex->arg_entry[i] : ex->aux_entry[i - ex->nargs];
        const char *nm = gnames[i];
        if (!sg__shape_eq(&a->shape, &esh[e]) && !(a->shape.ndim == 0 && esh[e].ndim == 1 && esh[e].dims[0] == 1)) {
            st = sg__seterr(g, SG_ERR_SHAPE, "bind: %s %s has shape %s, the graph needs %s", i < ex->nargs ? "argument" : "auxiliary state",
                            nm, sg_shape_str(&a->shape, b1, sizeof b1), sg_shape_str(&esh[e], b2, sizeof b2));
            goto fail;
        }
        if (a->dtype != ety[e]) {
            st = sg__seterr(g, SG_ERR_TYPE, "bind: %s %s has dtype %s, the graph needs %s", i < ex->nargs ? "argument" : "auxiliary state",
                            nm, sg_dtype_name(a->dtype), sg_dtype_name(ety[e]) ? sg_dtype_name(ety[e]) : "?");
            goto fail;
        }
        if (i < ex->nargs && ex->grads[i]) {
            if (ex->grads[i]->size != a->size || ex->grads[i]->dtype != a->dtype) {
                st = sg__seterr(g, SG_ERR_SHAPE, "bind: gradient of %s has shape %s and dtype %s, the argument %s and %s", nm,
                                sg_shape_str(&ex->grads[i]->shape, b1, sizeof b1), sg_dtype_name(ex->grads[i]->dtype),
                                sg_shape_str(&a->shape, b2, sizeof b2), sg_dtype_name(a->dtype));
                goto fail;
            }
        }
    }
    /* kernels exist? */
    for (i = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        int io = t->nin + sg__node_num_outputs(t);
        if (io > maxio) maxio = io;
        if (t->op && !t->op->forward) {
            st = sg__seterr(g, SG_ERR_UNSUPPORTED, "bind: operator %s (%s) has no CPU kernel", t->name, t->op->name);
            goto fail;
        }
    }
    if (ex->dops) { /* ---- device executors: every operator needs the device's kernels ---- */
        ex->dfwd = (sg_dev_fwd_fn *)sg__calloc((size_t)p->n + 1, sizeof(sg_dev_fwd_fn));
        ex->dbwd = (sg_dev_bwd_fn *)sg__calloc((size_t)p->n + 1, sizeof(sg_dev_bwd_fn));
        if (!ex->dfwd || !ex->dbwd) { st = SG__NOMEM(g); goto fail; }
        for (i = 0; i < p->n; i++) {
            sg__node *t = p->order[i];
            sg_dev_ws_fn wsf = NULL;
            if (!t->op) continue;
            if (ex->dops->kernels(t->op->name, &ex->dfwd[i], &ex->dbwd[i], &wsf) != 0 || !ex->dfwd[i] ||
                (t->op->backward && !ex->dbwd[i])) {
                st = sg__seterr(g, SG_ERR_UNSUPPORTED, "bind: operator %s (%s) has no %s kernel", t->name, t->op->name,
                                dev_type == SG_GPU ? "GPU" : "device");
                goto fail;
            }
        }
    }
    /* entries */
    ex->ent = (sg_ndarray *)sg__calloc((size_t)p->nentries + 1, sizeof(sg_ndarray));
    ex->gent = (sg_ndarray *)sg__calloc((size_t)p->nentries + 1, sizeof(sg_ndarray));
    ex->need = (unsigned char *)sg__calloc((size_t)p->nentries + 1, 1);
    ex->gstate = (unsigned char *)sg__calloc((size_t)p->nentries + 1, 1);
    ex->runs_bwd = (unsigned char *)sg__calloc((size_t)p->n + 1, 1);
    ex->var_arg = (int *)sg__calloc((size_t)p->nentries + 1, sizeof(int));
    ent_item = (int *)sg__calloc((size_t)p->nentries + 1, sizeof(int));
    gent_item = (int *)sg__calloc((size_t)p->nentries + 1, sizeof(int));
    cons_first = (int *)sg__calloc((size_t)p->nentries + 1, sizeof(int));
    items = (sg__item *)sg__calloc((size_t)2 * p->nentries + 1, sizeof(sg__item));
    ex->kin = (sg_ndarray **)sg__calloc((size_t)maxio, sizeof(sg_ndarray *));
    ex->kout = (sg_ndarray **)sg__calloc((size_t)maxio, sizeof(sg_ndarray *));
    ex->kog = (sg_ndarray **)sg__calloc((size_t)maxio, sizeof(sg_ndarray *));
    ex->kig = (sg_ndarray **)sg__calloc((size_t)maxio, sizeof(sg_ndarray *));
    ex->kreq = (int *)sg__calloc((size_t)maxio, sizeof(int));
    if (!ex->ent || !ex->gent || !ex->need || !ex->gstate || !ex->runs_bwd || !ex->var_arg || !ent_item || !gent_item ||
        !cons_first || !items || !ex->kin || !ex->kout || !ex->kog || !ex->kig || !ex->kreq) { st = SG__NOMEM(g); goto fail; }
    for (i = 0; i < p->nentries; i++) {
        size_t es = sg_dtype_size(ety[i]);
        int64_t cnt = 0;
        ex->var_arg[i] = -1;
        ent_item[i] = gent_item[i] = -1;
        cons_first[i] = INT_MAX;
        ex->ent[i].shape = esh[i];
        ex->ent[i].dtype = ety[i];
        if (sg_shape_size(&esh[i], &cnt) != SG_OK || !es || (uint64_t)cnt > (uint64_t)((size_t)-1 / es / 4)) {
            st = sg__seterr(g, SG_ERR_OVERFLOW, "bind: entry %d has no usable size", i);
            goto fail;
        }
        ex->ent[i].size = cnt;
        ex->ent[i].nbytes = (size_t)cnt * es;
        ex->ent[i].dev_type = dev_type;
        ex->gent[i] = ex->ent[i];
        ex->gent[i].data = NULL;
    }
    for (i = 0; i < ex->nargs; i++) {
        ex->var_arg[ex->arg_entry[i]] = i;
        ex->need[ex->arg_entry[i]] = ex->req[i] != SG_REQ_NULL;
    }
    /* which entries carry gradients, which nodes run backward */
    for (i = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        int any = 0;
        if (!t->op) continue;
        for (j = 0; j < t->nin; j++) if (ex->need[SG__EID(p, t->in[j])]) any = 1;
        if (!strcmp(t->op->name, "BlockGrad") || !t->op->backward) any = 0;
        ex->runs_bwd[i] = (unsigned char)any;
        for (j = 0; j < sg__node_num_visible(t); j++) ex->need[p->base[i] + j] = (unsigned char)any;
    }
    /* lifetimes: step i = forward of node i, step 2n-1-i = its backward */
#define SG__BSTEP(i) (2 * p->n - 1 - (i))
    for (i = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        int no;
        if (!t->op) continue;
        no = sg__node_num_outputs(t);
        for (j = 0; j < no; j++) {
            sg__item *it = &items[nitems];
            int e = p->base[i] + j;
            it->bytes = SG__ALIGN(ex->ent[e].nbytes);
            it->def = it->last = i;
            if (ex->runs_bwd[i] && !t->op->bwd_no_out) it->last = SG__BSTEP(i);
            it->alias = -1;
            it->entry = e;
            ent_item[e] = nitems++;
        }
    }
    for (i = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        for (j = 0; j < t->nin; j++) {
            int e = SG__EID(p, t->in[j]), it = ent_item[e];
            if (ex->runs_bwd[i] && cons_first[e] > SG__BSTEP(i)) cons_first[e] = SG__BSTEP(i);
            if (it < 0) continue;
            if (items[it].last < i) items[it].last = i;
            if (ex->runs_bwd[i] && items[it].last < SG__BSTEP(i)) items[it].last = SG__BSTEP(i);
        }
    }
    for (i = 0; i < s->nheads; i++) {
        int e = SG__EID(p, s->heads[i]);
        if (ent_item[e] >= 0) items[ent_item[e]].last = INT_MAX;
        if (cons_first[e] > p->n) cons_first[e] = p->n; /* head gradients are set before the first backward step */
    }
    /* in place: out[0] takes in[0]'s slot when nothing reads in[0] later */
    if (!d->no_plan)
        for (i = 0; i < p->n; i++) {
            sg__node *t = p->order[i];
            int e0, it0, it1;
            if (!t->op || !t->op->inplace || t->nin < 1) continue;
            e0 = SG__EID(p, t->in[0]);
            it0 = ent_item[e0];
            it1 = ent_item[p->base[i]];
            if (it0 < 0 || items[it0].last != i || items[it0].alias >= 0) continue;
            if (ex->ent[e0].nbytes != ex->ent[p->base[i]].nbytes || ex->ent[e0].dtype != ex->ent[p->base[i]].dtype) continue;
            items[it1].alias = it0;
        }
    /* gradient buffers of the op outputs that receive gradients */
    for (i = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        if (!t->op || !ex->runs_bwd[i]) continue;
        for (j = 0; j < sg__node_num_visible(t); j++) {
            int e = p->base[i] + j;
            sg__item *it = &items[nitems];
            it->bytes = SG__ALIGN(ex->ent[e].nbytes);
            it->def = cons_first[e] < SG__BSTEP(i) ? cons_first[e] : SG__BSTEP(i);
            it->last = SG__BSTEP(i);
            it->alias = -1;
            it->entry = e;
            it->is_grad = 1;
            gent_item[e] = nitems++;
        }
    }
    /* place the items into slots (linear scan in order of first use) */
    slot_bytes = (size_t *)sg__calloc((size_t)nitems + 1, sizeof(size_t));
    slot_last = (int *)sg__calloc((size_t)nitems + 1, sizeof(int));
    slot_off = (size_t *)sg__calloc((size_t)nitems + 1, sizeof(size_t));
    if (!slot_bytes || !slot_last || !slot_off) { st = SG__NOMEM(g); goto fail; }
    {
        int *ord = (int *)sg__calloc((size_t)nitems + 1, sizeof(int));
        if (!ord) { st = SG__NOMEM(g); goto fail; }
        for (i = 0; i < nitems; i++) ord[i] = i;
        for (i = 1; i < nitems; i++) /* insertion sort by def, stable */
            for (j = i; j > 0 && items[ord[j - 1]].def > items[ord[j]].def; j--) { k = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = k; }
        for (k = 0; k < nitems; k++) {
            sg__item *it = &items[ord[k]];
            int best = -1;
            ex->unplanned += it->bytes;
            if (it->alias >= 0) {
                it->slot = items[it->alias].slot;
                if (slot_last[it->slot] < it->last) slot_last[it->slot] = it->last;
                continue;
            }
            if (!d->no_plan)
                for (i = 0; i < nslots; i++) {
                    if (slot_last[i] >= it->def) continue; /* still in use */
                    if (best < 0) { best = i; continue; }
                    if (slot_bytes[i] >= it->bytes) {
                        if (slot_bytes[best] < it->bytes || slot_bytes[i] < slot_bytes[best]) best = i;
                    } else if (slot_bytes[best] < it->bytes && slot_bytes[i] > slot_bytes[best]) best = i;
                }
            if (best < 0) { best = nslots++; slot_bytes[best] = 0; }
            if (slot_bytes[best] < it->bytes) slot_bytes[best] = it->bytes;
            slot_last[best] = it->last;
            it->slot = best;
        }
        sg__free(ord);
    }
    /* workspaces, and the per-node states */
    {
        size_t ws = 0, stt = 0;
        int gemm = 0;
        sg_shape tin[64], tout[64];
        ex->st_off = (size_t *)sg__calloc((size_t)p->n + 1, sizeof(size_t));
        ex->st_bytes = (size_t *)sg__calloc((size_t)p->n + 1, sizeof(size_t));
        if (!ex->st_off || !ex->st_bytes) { st = SG__NOMEM(g); goto fail; }
        for (i = 0; i < p->n; i++) {
            sg__node *t = p->order[i];
            if (!t->op) continue;
            sg_dev_ws_fn wsf = t->op->workspace;
            if (sg__uses_gemm(t->op) && !ex->dops) gemm = 1;
            if (ex->dops) { /* ---- device executors: the device's workspace sizes ---- */
                sg_dev_fwd_fn f1;
                sg_dev_bwd_fn b1;
                wsf = NULL;
                ex->dops->kernels(t->op->name, &f1, &b1, &wsf);
            }
            if (t->nin > 64 || sg__node_num_outputs(t) > 64) continue;
            for (j = 0; j < t->nin; j++) tin[j] = esh[SG__EID(p, t->in[j])];
            for (j = 0; j < sg__node_num_outputs(t); j++) tout[j] = esh[p->base[i] + j];
            if (t->op->state && !ex->dops) {
                ex->st_bytes[i] = t->op->state(t, tin, tout);
                if (ex->st_bytes[i] > ((size_t)-1) / 4 || stt > ((size_t)-1) / 4 - ex->st_bytes[i]) {
                    st = sg__seterr(g, SG_ERR_NOMEM, "bind: operator %s (%s) needs more state memory than can be addressed",
                                    t->name, t->op->name);
                    goto fail;
                }
                ex->st_off[i] = stt;
                stt += SG__ALIGN(ex->st_bytes[i]);
            }
            if (wsf) {
                size_t w = wsf(t, tin, tout);
                if (w > ws) ws = w;
            }
        }
        ex->ws_bytes = SG__ALIGN(ws);
        total = 0;
        for (i = 0; i < nslots; i++) { slot_off[i] = total; total += slot_bytes[i]; }
        ex->planned = total;
        off = total;
        total += ex->ws_bytes;
        if (gemm) total += SG__ALIGN(SG__GEMM_WS_FLOATS * sizeof(float));
        for (i = 0; i < p->n; i++) ex->st_off[i] += total;
        total += stt;
        ex->unplanned += total - ex->planned;
        ex->planned = total;
        if (bytes) { *bytes = total + 64; st = SG_OK; goto fail; }
        if (d->buffer) {
            size_t mis = (size_t)((uintptr_t)d->buffer & 63);
            size_t pad = mis ? 64 - mis : 0;
            if (d->buffer_size < total + pad) {
                st = sg__seterr(g, SG_ERR_ARG, "bind: the buffer holds %lu bytes, this bind needs %lu", (unsigned long)d->buffer_size,
                                (unsigned long)(total + pad));
                goto fail;
            }
            ex->arena = (char *)d->buffer + pad;
            if (ex->dops) { /* ---- device executors: the buffer is device memory ---- */
                if (ex->dops->zero(ex->arena, total) != SG_OK) { st = sg__seterr(g, SG_ERR_UNSUPPORTED, "bind: %s", ex->dops->error()); goto fail; }
            } else memset(ex->arena, 0, total);
        } else if (total && ex->dops) { /* ---- device executors: one device arena ---- */
            void *dp = NULL;
            if ((st = ex->dops->alloc(total + 64, &dp)) != SG_OK) {
                st = sg__seterr(g, st, "bind: cannot allocate %lu bytes on the device: %s", (unsigned long)total, ex->dops->error());
                goto fail;
            }
            ex->arena = (char *)dp;
            ex->own_arena = 1;
            if (ex->dops->zero(ex->arena, total + 64) != SG_OK) { st = sg__seterr(g, SG_ERR_UNSUPPORTED, "bind: %s", ex->dops->error()); goto fail; }
        } else if (total) {
            ex->arena = (char *)sg__malloc(total + 64);
            if (!ex->arena) { st = sg__seterr(g, SG_ERR_NOMEM, "bind: cannot allocate %lu bytes", (unsigned long)total); goto fail; }
            ex->own_arena = 1;
            memset(ex->arena, 0, total + 64);
        }
        ex->arena_bytes = total;
        ex->ws = ex->ws_bytes ? ex->arena + off : NULL;
        ex->gemm_ws = gemm ? (float *)(ex->arena + off + ex->ws_bytes) : NULL;
    }
    for (i = 0; i < nitems; i++) {
        sg_ndarray *h = items[i].is_grad ? &ex->gent[items[i].entry] : &ex->ent[items[i].entry];
        h->data = ex->arena + slot_off[items[i].slot];
        if (!h->nbytes) h->data = NULL;
    }
    /* outputs */
    ex->nout = s->nheads;
    ex->outs = (sg_ndarray **)sg__calloc((size_t)ex->nout + 1, sizeof(sg_ndarray *));
    ex->out_names = (char **)sg__calloc((size_t)ex->nout + 1, sizeof(char *));
    if (!ex->outs || !ex->out_names) { st = SG__NOMEM(g); goto fail; }
    for (i = 0; i < ex->nout; i++) {
        sg__buf b = {NULL, 0, 0, 0};
        ex->outs[i] = &ex->ent[SG__EID(p, s->heads[i])];
        if (!sg__entry_name(&s->heads[i], &b)) { sg__free(b.p); st = SG__NOMEM(g); goto fail; }
        ex->out_names[i] = b.p;
    }
    for (i = 0; i < ex->nargs; i++) ex->ent[ex->arg_entry[i]] = *ex->args[i];
    for (i = 0; i < ex->naux; i++) ex->ent[ex->aux_entry[i]] = *ex->aux[i];
    sg__free(esh); sg__free(ety); sg__free(gnames); sg__free(gshp); sg__free(gty);
    sg__free(items); sg__free(slot_bytes); sg__free(slot_last); sg__free(slot_off);
    sg__free(ent_item); sg__free(gent_item); sg__free(cons_first);
    *out = ex;
    return SG_OK;
fail:
    sg__free(esh); sg__free(ety); sg__free(gnames); sg__free(gshp); sg__free(gty);
    sg__free(items); sg__free(slot_bytes); sg__free(slot_last); sg__free(slot_off);
    sg__free(ent_item); sg__free(gent_item); sg__free(cons_first);
    sg_executor_free(ex);
    return st;
#undef SG__BSTEP
}
SG__DEF int sg_bind(sg_graph *g, const sg_symbol *s, int dev_type, const sg_bind_desc *d, sg_executor **out) {
    if (!out) return g ? sg__seterr(g, SG_ERR_ARG, "bind: out is NULL") : SG_ERR_ARG;
    return sg__bind(g, s, dev_type, d, out, NULL);
}
SG__DEF int sg_bind_bytes(sg_graph *g, const sg_symbol *s, int dev_type, const sg_bind_desc *d, size_t *bytes) {
    if (!bytes) return g ? sg__seterr(g, SG_ERR_ARG, "bind_bytes: bytes is NULL") : SG_ERR_ARG;
    return sg__bind(g, s, dev_type, d, NULL, bytes);
}

SG__INTERNAL void sg__kctx_init(sg_executor *ex, sg__kctx *k) {
    k->g = ex->g;
    k->is_train = ex->is_train;
    k->rng = &ex->rng;
    k->ws = ex->ws;
    k->ws_bytes = ex->ws_bytes;
    k->gemm_ws = ex->gemm_ws;
    k->gemm = ex->gemm;
    k->gemm_part = 0;
    k->gemm_parts = 0;
    k->state = NULL;
    k->state_bytes = 0;
}
/* The state of step i (sg__opdef.state) for its kernels. */
SG__INTERNAL void sg__kctx_node(sg_executor *ex, sg__kctx *k, int i) {
    k->state = ex->st_bytes[i] ? ex->arena + ex->st_off[i] : NULL;
    k->state_bytes = ex->st_bytes[i];
}
/* ---- device executors: what device kernels read of the context and the node ---- */
SG__DEF int sg_kctx_is_train(const sg__kctx *k) { return k ? k->is_train : 0; }
SG__DEF void *sg_kctx_workspace(const sg__kctx *k, size_t *bytes) {
    if (bytes) *bytes = k ? k->ws_bytes : 0;
    return k ? k->ws : NULL;
}
SG__DEF sg_rng *sg_kctx_rng(sg__kctx *k) { return k ? k->rng : NULL; }
SG__DEF int sg_kctx_error(sg__kctx *k, const sg__node *n, int status, const char *msg) {
    if (!k || !k->g) return status;
    return sg__seterr(k->g, status, "operator %s (%s): %s", n && n->name ? n->name : "?", n && n->op ? n->op->name : "?",
                      msg ? msg : "error");
}
SG__DEF const char *sg_knode_name(const sg__node *n) { return n ? n->name : NULL; }
SG__DEF const char *sg_knode_op(const sg__node *n) { return n && n->op ? n->op->name : NULL; }
SG__DEF int sg_knode_num_inputs(const sg__node *n) { return n ? n->nin : 0; }
SG__DEF int sg_knode_param(const sg__node *n, const char *key, sg_kparam *out) {
    int i, j;
    if (!n || !n->op || !key || !out || !n->pv || (i = sg__pidx(n->op, key)) < 0) return SG_ERR_PARAM;
    out->given = n->pv[i].given;
    out->none = n->pv[i].none;
    out->i = n->pv[i].i;
    out->f = n->pv[i].f;
    out->ndim = n->pv[i].ndim;
    for (j = 0; j < SG_MAX_NDIM; j++) out->t[j] = n->pv[i].t[j];
    out->s = n->pv[i].s;
    return SG_OK;
}
SG__INTERNAL void sg__refresh_vars(sg_executor *ex) {
    int i;
    for (i = 0; i < ex->nargs; i++) ex->ent[ex->arg_entry[i]] = *ex->args[i];
    for (i = 0; i < ex->naux; i++) ex->ent[ex->aux_entry[i]] = *ex->aux[i];
}
SG__DEF int sg_forward(sg_executor *ex, int is_train) {
    sg__plan *p;
    sg__kctx k;
    int i, j, st;
    if (!ex) return SG_ERR_ARG;
    p = &ex->p;
    ex->is_train = is_train != 0;
    sg__refresh_vars(ex);
    sg__kctx_init(ex, &k);
    for (i = 0; i < p->n; i++) {
        sg__node *t = p->order[i];
        int no;
        if (!t->op) continue;
        no = sg__node_num_outputs(t);
        for (j = 0; j < t->nin; j++) ex->kin[j] = &ex->ent[SG__EID(p, t->in[j])];
        for (j = 0; j < no; j++) ex->kout[j] = &ex->ent[p->base[i] + j];
        if (ex->dops) { /* ---- device executors ---- */
            if ((st = ex->dfwd[i](&k, t, ex->kin, ex->kout)) != SG_OK) return sg__exerr(ex, st);
            continue;
        }
        sg__kctx_node(ex, &k, i);
        if ((st = t->op->forward(&k, t, ex->kin, ex->kout)) != SG_OK) return sg__exerr(ex, st);
    }
    if (ex->dops && (st = ex->dops->sync()) != SG_OK) /* ---- device executors ---- */
        return sg__exerr(ex, sg__seterr(ex->g, st, "forward: %s", ex->dops->error()));
    ex->fwd_done = 1;
    return SG_OK;
}
SG__DEF int sg_backward(sg_executor *ex, int n, sg_ndarray *const *og) {
    sg__plan *p;
    sg__kctx k;
    int i, j, st;
    if (!ex) return SG_ERR_ARG;
    p = &ex->p;
    if (!ex->fwd_done) return sg__exerr(ex, sg__seterr(ex->g, SG_ERR_ARG, "backward: call forward first"));
    if (n < 0 || (n > 0 && !og)) return sg__exerr(ex, sg__seterr(ex->g, SG_ERR_ARG, "backward: bad out_grads list"));
    sg__refresh_vars(ex);
    sg__kctx_init(ex, &k);
    memset(ex->gstate, 0, (size_t)p->nentries);
    /* head gradients */
    for (i = 0; i < ex->nout; i++) {
        const sg__entry *h = &ex->sym->heads[i];
        int e = SG__EID(p, *h), va;
        sg_ndarray *src = i < n ? og[i] : NULL, *dst = NULL;
        if (h->node->op && (h->node->op->flags & SG__OF_LOSS)) continue;
        if (!ex->need[e]) continue;
        if (!src)
            return sg__exerr(ex, sg__seterr(ex->g, SG_ERR_ARG,
                                           "Because the last operator is not Loss function, head_gradient is required when "
                                           "calling backward: no out_grad for head %d (%s)", i, ex->out_names[i]));
        if (src->size != ex->ent[e].size)
            return sg__exerr(ex, sg__seterr(ex->g, SG_ERR_SHAPE, "backward: out_grad %d (%s) has %lld elements, the output %lld",
                                           i, ex->out_names[i], (long long)src->size, (long long)ex->ent[e].size));
        va = ex->var_arg[e];
        dst = va >= 0 ? ex->grads[va] : &ex->gent[e];
        if (ex->dops) { /* ---- device executors: head gradients through the device's table ---- */
            if (!ex->gstate[e] && !(va >= 0 && ex->req[va] == SG_REQ_ADD)) st = sg_nd_copy_to(src, dst);
            else if (src->dev_type != ex->dev_type || src->dtype != dst->dtype)
                st = sg__lerr(SG_ERR_ARG, "out_grad %d (%s) must be on the device with the output's dtype to be accumulated", i, ex->out_names[i]);
            else st = ex->dops->add(dst, src) != SG_OK ? sg__lerr(SG_ERR_UNSUPPORTED, "%s", ex->dops->error()) : SG_OK;
            if (st != SG_OK) return sg__exerr(ex, sg__seterr(ex->g, st, "backward: %s", sg_last_error()));
        } else if (!ex->gstate[e] && !(va >= 0 && ex->req[va] == SG_REQ_ADD)) sg_nd_copy_to(src, dst);
        else {
            int64_t q;
            for (q = 0; q < dst->size; q++) sg__store(dst->data, dst->dtype, q, sg__load(dst->data, dst->dtype, q) + sg__load(src->data, src->dtype, q));
        }
        ex->gstate[e] = 1;
    }
    for (i = p->n - 1; i >= 0; i--) {
        sg__node *t = p->order[i];
        int no, nv, any = 0;
        if (!t->op || !ex->runs_bwd[i]) continue;
        no = sg__node_num_outputs(t);
        nv = sg__node_num_visible(t);
        for (j = 0; j < no; j++) {
            int e = p->base[i] + j;
            ex->kout[j] = &ex->ent[e];
            ex->kog[j] = (j < nv && ex->gent[e].data) ? &ex->gent[e] : NULL;
            if (j < nv && ex->gstate[e]) any = 1;
        }
        if (!any && !(t->op->flags & SG__OF_LOSS)) continue;
        for (j = 0; j < nv; j++) {
            int e = p->base[i] + j;
            if (!ex->gstate[e] && ex->kog[j] && ex->kog[j]->nbytes) {
                if (ex->dops) { /* ---- device executors ---- */
                    if ((st = ex->dops->zero(ex->kog[j]->data, ex->kog[j]->nbytes)) != SG_OK)
                        return sg__exerr(ex, sg__seterr(ex->g, st, "backward: %s", ex->dops->error()));
                } else memset(ex->kog[j]->data, 0, ex->kog[j]->nbytes);
            }
        }
        for (j = 0; j < t->nin; j++) {
            int e = SG__EID(p, t->in[j]), va = ex->var_arg[e];
            ex->kin[j] = &ex->ent[e];
            ex->kig[j] = NULL;
            ex->kreq[j] = SG_REQ_NULL;
            if (!ex->need[e]) continue;
            ex->kig[j] = va >= 0 ? ex->grads[va] : &ex->gent[e];
            ex->kreq[j] = (ex->gstate[e] || (va >= 0 && ex->req[va] == SG_REQ_ADD)) ? SG_REQ_ADD : SG_REQ_WRITE;
            ex->gstate[e] = 1;
        }
        if (ex->dops) { /* ---- device executors ---- */
            if ((st = ex->dbwd[i](&k, t, ex->kog, ex->kin, ex->kout, ex->kig, ex->kreq)) != SG_OK) return sg__exerr(ex, st);
            continue;
        }
        sg__kctx_node(ex, &k, i);
        if ((st = t->op->backward(&k, t, ex->kog, ex->kin, ex->kout, ex->kig, ex->kreq)) != SG_OK) return sg__exerr(ex, st);
    }
    for (i = 0; i < ex->nargs; i++)
        if (ex->req[i] == SG_REQ_WRITE && !ex->gstate[ex->arg_entry[i]] && ex->grads[i]->nbytes) {
            if (ex->dops) { /* ---- device executors ---- */
                if ((st = ex->dops->zero(ex->grads[i]->data, ex->grads[i]->nbytes)) != SG_OK)
                    return sg__exerr(ex, sg__seterr(ex->g, st, "backward: %s", ex->dops->error()));
            } else memset(ex->grads[i]->data, 0, ex->grads[i]->nbytes);
        }
    if (ex->dops && (st = ex->dops->sync()) != SG_OK) /* ---- device executors ---- */
        return sg__exerr(ex, sg__seterr(ex->g, st, "backward: %s", ex->dops->error()));
    return SG_OK;
}

SG__DEF int sg_executor_outputs(sg_executor *ex, sg_ndarray *const **outs, int *n) {
    if (outs) *outs = NULL; /* set on every path: an empty list on error */
    if (n) *n = 0;
    if (!ex || !outs || !n) return SG_ERR_ARG;
    *outs = ex->outs;
    *n = ex->nout;
    return SG_OK;
}
SG__INTERNAL sg_ndarray *sg__ex_lookup(sg_executor *ex, int which, const char *name) {
    int i;
    if (!ex || !name) return NULL;
    if (which == SG_AUX) {
        for (i = 0; i < ex->naux; i++) if (!strcmp(ex->auxn[i]->name, name)) return ex->aux[i];
        return NULL;
    }
    for (i = 0; i < ex->nargs; i++)
        if (!strcmp(ex->argn[i]->name, name)) return which == SG_GRADS ? (ex->req[i] ? ex->grads[i] : NULL) : ex->args[i];
    return NULL;
}
SG__DEF sg_ndarray *sg_executor_arg(sg_executor *ex, const char *name) { return sg__ex_lookup(ex, SG_ARGS, name); }
SG__DEF sg_ndarray *sg_executor_grad(sg_executor *ex, const char *name) { return sg__ex_lookup(ex, SG_GRADS, name); }
SG__DEF sg_ndarray *sg_executor_aux(sg_executor *ex, const char *name) { return sg__ex_lookup(ex, SG_AUX, name); }
SG__DEF sg_ndarray *sg_executor_output(sg_executor *ex, const char *name) {
    int i;
    if (!ex || !name) return NULL;
    for (i = 0; i < ex->nout; i++) if (!strcmp(ex->out_names[i], name)) return ex->outs[i];
    return NULL;
}
SG__DEF int sg_executor_arrays(sg_executor *ex, int which, sg_ndarray *const **arrays, int *n) {
    if (arrays) *arrays = NULL; /* set on every path: an empty list on error */
    if (n) *n = 0;
    if (!ex || !arrays || !n) return SG_ERR_ARG;
    if (which == SG_ARGS) { *arrays = ex->args; *n = ex->nargs; }
    else if (which == SG_GRADS) { *arrays = ex->grads; *n = ex->nargs; }
    else if (which == SG_AUX) { *arrays = ex->aux; *n = ex->naux; }
    else return SG_ERR_ARG;
    return SG_OK;
}
SG__DEF int sg_executor_memory(const sg_executor *ex, size_t *planned, size_t *unplanned) {
    if (!ex) return SG_ERR_ARG;
    if (planned) *planned = ex->planned;
    if (unplanned) *unplanned = ex->unplanned;
    return SG_OK;
}
SG__DEF void sg_executor_seed(sg_executor *ex, uint64_t seed) { if (ex) sg_rng_seed(&ex->rng, seed); }
SG__DEF void sg_executor_set_gemm(sg_executor *ex, int impl) { if (ex) ex->gemm = impl; }

/* Allocate arrays for every argument (and gradients, aux) of s from shapes and
 * dtypes, then bind; the executor owns them. */
SG__INTERNAL int sg__bind_alloc(sg_graph *g, const sg_symbol *s, int dev_type, int nshapes, const char *const *names,
                                const sg_shape *shapes, const int *dtypes, int grad_req, sg_executor **out,
                                sg_ndarray *const *share, const char *const *share_names, int nshare,
                                const char *const *null_req) {
    const char *const *an, *const *xn;
    int na, nx, i, st, *targ = NULL, *taux = NULL, *tgiven = NULL;
    sg_shape *sarg = NULL, *saux = NULL;
    sg_ndarray **args = NULL, **grads = NULL, **aux = NULL;
    unsigned char *owna = NULL, *ownx = NULL;
    int *reqs = NULL;
    sg_bind_desc d;
    const char **tn = NULL;
    *out = NULL;
    if ((st = sg_list_arguments(g, s, &an, &na)) != SG_OK) return st;
    if ((st = sg_list_auxiliary_states(g, s, &xn, &nx)) != SG_OK) return st;
    if (grad_req != SG_REQ_NULL && grad_req != SG_REQ_WRITE && grad_req != SG_REQ_ADD)
        return sg__seterr(g, SG_ERR_ARG, "simple_bind: grad_req %d is not null (0), write (1) or add (3)", grad_req);
    if (dev_type != SG_CPU && !sg_device_get(dev_type)) /* ---- device executors ---- */
        return sg__seterr(g, SG_ERR_UNSUPPORTED, "bind: no kernels registered for device type %d; link symgraph_cuda.cu and call sg_cuda_register()", dev_type);
    sarg = (sg_shape *)sg__calloc((size_t)na + 1, sizeof(sg_shape));
    saux = (sg_shape *)sg__calloc((size_t)nx + 1, sizeof(sg_shape));
    targ = (int *)sg__calloc((size_t)na + 1, sizeof(int));
    taux = (int *)sg__calloc((size_t)nx + 1, sizeof(int));
    tgiven = (int *)sg__calloc((size_t)na + nx + 1, sizeof(int));
    tn = (const char **)sg__calloc((size_t)na + nx + 1, sizeof(char *));
    args = (sg_ndarray **)sg__calloc((size_t)na + 1, sizeof(sg_ndarray *));
    grads = (sg_ndarray **)sg__calloc((size_t)na + 1, sizeof(sg_ndarray *));
    aux = (sg_ndarray **)sg__calloc((size_t)nx + 1, sizeof(sg_ndarray *));
    owna = (unsigned char *)sg__calloc((size_t)na + 1, 1);
    ownx = (unsigned char *)sg__calloc((size_t)nx + 1, 1);
    reqs = (int *)sg__calloc((size_t)na + 1, sizeof(int));
    if (!sarg || !saux || !targ || !taux || !tgiven || !tn || !args || !grads || !aux || !owna || !ownx || !reqs) {
        st = SG__NOMEM(g);
        goto done;
    }
    if ((st = sg_infer_shape(g, s, nshapes, names, shapes, 0, sarg, NULL, saux)) != SG_OK) goto done;
    /* dtypes: given, else __dtype__, else float32. With a type_dict (pass 0), as
     * MXNet: the other arguments take what partial inference gives them from
     * it, and float32 where it gives none; where that pass fails (an operator
     * that needs its input's dtype, such as Dropout or RNN fed by an argument
     * the type_dict does not reach), pass 1 seeds float32 for every argument
     * neither given nor __dtype__, as without a type_dict. */
    {
        int ng = 0, r, pass;
        sg_symbol *in = sg_get_internals(g, s);
        /* (every lookup below finds its variable: a NULL is a failed allocation) */
        if (!in) { st = g->status < 0 ? g->status : SG__NOMEM(g); goto done; }
        for (pass = dtypes ? 0 : 1; pass < 2; pass++) {
            ng = 0;
            for (i = 0; i < na; i++) {
                int gi = dtypes ? sg__find_name(names, nshapes, an[i]) : -1;
                const char *dt = NULL;
                sg_symbol *v;
                if (gi >= 0) { tn[ng] = an[i]; tgiven[ng++] = dtypes[gi]; continue; }
                v = sg_get_output_by_name(g, in, an[i]);
                if (!v) { st = g->status < 0 ? g->status : SG__NOMEM(g); goto done; }
                if ((r = sg_attr(g, v, "__dtype__", &dt)) < 0) { st = r; goto done; }
                if (r == 1 || pass == 0) continue;
                tn[ng] = an[i];
                tgiven[ng++] = SG_FLOAT32;
            }
            if (pass == 1) break;
            if (sg_infer_type(g, s, ng, tn, tgiven, 1, targ, NULL, taux) != SG_OK) {
                sg_graph_clear_error(g);
                continue;
            }
            for (i = 0; i < na; i++)
                if (targ[i] < 0) { tn[ng] = an[i]; tgiven[ng++] = SG_FLOAT32; }
            break;
        }
        if ((st = sg_infer_type(g, s, ng, tn, tgiven, 0, targ, NULL, taux)) != SG_OK) goto done;
    }
    for (i = 0; i < na; i++) {
        int sh = share_names ? sg__find_name(share_names, nshare, an[i]) : -1;
        if (sh >= 0 && share[sh] && sg__shape_eq(&share[sh]->shape, &sarg[i]) && share[sh]->dtype == targ[i]) args[i] = share[sh];
        else {
            args[i] = dev_type == SG_CPU ? sg_nd_zeros_shape(&sarg[i], targ[i]) : sg_nd_zeros_dev(sarg[i].ndim, sarg[i].dims, targ[i], dev_type, 0);
            if (!args[i]) { st = sg__seterr(g, SG_ERR_NOMEM, "simple_bind: %s", sg_last_error()); goto done; }
            owna[i] = 1;
        }
        reqs[i] = grad_req;
        if (null_req) { int q; for (q = 0; null_req[q]; q++) if (!strcmp(null_req[q], an[i])) reqs[i] = SG_REQ_NULL; }
        if (reqs[i] != SG_REQ_NULL) {
            grads[i] = dev_type == SG_CPU ? sg_nd_zeros_shape(&sarg[i], targ[i]) : sg_nd_zeros_dev(sarg[i].ndim, sarg[i].dims, targ[i], dev_type, 0);
            if (!grads[i]) { st = sg__seterr(g, SG_ERR_NOMEM, "simple_bind: %s", sg_last_error()); goto done; }
        }
    }
    for (i = 0; i < nx; i++) {
        int sh = share_names ? sg__find_name(share_names, nshare, xn[i]) : -1;
        if (sh >= 0 && share[sh] && sg__shape_eq(&share[sh]->shape, &saux[i]) && share[sh]->dtype == taux[i]) aux[i] = share[sh];
        else {
            aux[i] = dev_type == SG_CPU ? sg_nd_zeros_shape(&saux[i], taux[i]) : sg_nd_zeros_dev(saux[i].ndim, saux[i].dims, taux[i], dev_type, 0);
            if (!aux[i]) { st = sg__seterr(g, SG_ERR_NOMEM, "simple_bind: %s", sg_last_error()); goto done; }
            ownx[i] = 1;
        }
    }
    memset(&d, 0, sizeof d);
    d.nargs = na;
    d.args = args;
    d.ngrads = na;
    d.grads = grads;
    d.grad_req = reqs;
    d.naux = nx;
    d.aux = aux;
    if ((st = sg_bind(g, s, dev_type, &d, out)) != SG_OK) goto done;
    for (i = 0; i < na; i++) { (*out)->own_args[i] = owna[i]; (*out)->own_grads[i] = grads[i] != NULL; }
    for (i = 0; i < nx; i++) (*out)->own_aux[i] = ownx[i];
done:
    if (st != SG_OK) {
        for (i = 0; i < na && args; i++) { if (owna && owna[i]) sg_nd_free(args[i]); if (grads) sg_nd_free(grads[i]); }
        for (i = 0; i < nx && aux; i++) if (ownx && ownx[i]) sg_nd_free(aux[i]);
    }
    sg__free(sarg); sg__free(saux); sg__free(targ); sg__free(taux); sg__free(tgiven); sg__free((void *)tn);
    sg__free(args); sg__free(grads); sg__free(aux); sg__free(owna); sg__free(ownx); sg__free(reqs);
    return st;
}
SG__DEF int sg_simple_bind(sg_graph *g, const sg_symbol *s, int dev_type, int nshapes, const char *const *names,
                           const sg_shape *shapes, const int *dtypes, int grad_req, sg_executor **out) {
    if (!out) return g ? sg__seterr(g, SG_ERR_ARG, "simple_bind: out is NULL") : SG_ERR_ARG;
    if (sg__check_sym(g, s, "simple_bind") != SG_OK) return g ? g->status : SG_ERR_ARG;
    return sg__bind_alloc(g, s, dev_type, nshapes, names, shapes, dtypes, grad_req, out, NULL, NULL, 0, NULL);
}
SG__DEF int sg_simple_bind_ex(sg_graph *g, const sg_symbol *s, int dev_type, int nshapes, const char *const *names,
                              const sg_shape *shapes, const int *dtypes, int grad_req, const char *const *null_grad,
                              sg_executor **out) {
    if (!out) return g ? sg__seterr(g, SG_ERR_ARG, "simple_bind: out is NULL") : SG_ERR_ARG;
    if (sg__check_sym(g, s, "simple_bind") != SG_OK) return g ? g->status : SG_ERR_ARG;
    return sg__bind_alloc(g, s, dev_type, nshapes, names, shapes, dtypes, grad_req, out, NULL, NULL, 0, null_grad);
}
SG__DEF int sg_eval(sg_graph *g, const sg_symbol *s, int n, const char *const *names, sg_ndarray *const *arrays,
                    sg_ndarray ***outs, int *nout) {
    sg_bind_desc d;
    sg_executor *ex = NULL;
    int st, i;
    if (!outs || !nout) return g ? sg__seterr(g, SG_ERR_ARG, "eval: NULL output pointer") : SG_ERR_ARG;
    *outs = NULL;
    *nout = 0;
    memset(&d, 0, sizeof d);
    d.nargs = n;
    d.arg_names = names;
    d.args = arrays;
    if (!names) return sg__seterr(g, SG_ERR_ARG, "eval: arrays are given by name");
    {   /* auxiliary states given by name too */
        const char *const *xn;
        int nx;
        if ((st = sg_list_auxiliary_states(g, s, &xn, &nx)) != SG_OK) return st;
        d.naux = n;
        d.aux_names = names;
        d.aux = arrays;
    }
    if ((st = sg_bind(g, s, SG_CPU, &d, &ex)) != SG_OK) return st;
    if ((st = sg_forward(ex, 0)) != SG_OK) { sg_executor_free(ex); return st; }
    *outs = (sg_ndarray **)sg__calloc((size_t)ex->nout + 1, sizeof(sg_ndarray *));
    if (!*outs) { sg_executor_free(ex); return SG__NOMEM(g); }
    for (i = 0; i < ex->nout; i++) {
        (*outs)[i] = sg_nd_copy(ex->outs[i]);
        if (!(*outs)[i]) {
            int j;
            for (j = 0; j < i; j++) sg_nd_free((*outs)[j]);
            sg__free(*outs);
            *outs = NULL;
            sg_executor_free(ex);
            return SG__NOMEM(g);
        }
    }
    *nout = ex->nout;
    sg_executor_free(ex);
    return SG_OK;
}

SG__DEF int sg_executor_reshape(sg_executor *ex, int nshapes, const char *const *names, const sg_shape *shapes,
                                int partial_shaping, int allow_up_sizing, sg_executor **out) {
    sg_graph *g;
    sg_shape *sarg = NULL, *saux = NULL;
    sg_ndarray **args = NULL, **grads = NULL, **aux = NULL;
    unsigned char *owna = NULL, *owng = NULL, *ownx = NULL;
    int i, st;
    sg_bind_desc d;
    char b1[256], b2[256];
    if (!ex || !out) return SG_ERR_ARG;
    *out = NULL;
    g = ex->g;
    sarg = (sg_shape *)sg__calloc((size_t)ex->nargs + 1, sizeof(sg_shape));
    saux = (sg_shape *)sg__calloc((size_t)ex->naux + 1, sizeof(sg_shape));
    args = (sg_ndarray **)sg__calloc((size_t)ex->nargs + 1, sizeof(sg_ndarray *));
    grads = (sg_ndarray **)sg__calloc((size_t)ex->nargs + 1, sizeof(sg_ndarray *));
    aux = (sg_ndarray **)sg__calloc((size_t)ex->naux + 1, sizeof(sg_ndarray *));
    owna = (unsigned char *)sg__calloc((size_t)ex->nargs + 1, 1);
    owng = (unsigned char *)sg__calloc((size_t)ex->nargs + 1, 1);
    ownx = (unsigned char *)sg__calloc((size_t)ex->naux + 1, 1);
    if (!sarg || !saux || !args || !grads || !aux || !owna || !owng || !ownx) { st = SG__NOMEM(g); goto done; }
    if ((st = sg_infer_shape(g, ex->sym, nshapes, names, shapes, 0, sarg, NULL, saux)) != SG_OK) goto done;
    for (i = 0; i < ex->nargs + ex->naux; i++) {
        int isarg = i < ex->nargs, ix = isarg ? i : i - ex->nargs;
        sg_ndarray *old = isarg ? ex->args[ix] : ex->aux[ix], **dst = isarg ? &args[ix] : &aux[ix];
        const sg_shape *ns = isarg ? &sarg[ix] : &saux[ix];
        const char *nm = isarg ? ex->argn[ix]->name : ex->auxn[ix]->name;
        int64_t cnt = 0;
        if (sg__shape_eq(&old->shape, ns)) {
            *dst = old;
            if (isarg) grads[ix] = ex->grads[ix];
            continue;
        }
        if (sg__find_name(names, nshapes, nm) < 0 && !partial_shaping) {
            st = sg__seterr(g, SG_ERR_SHAPE, "reshape: Shape of unspecified arg: %s changed (%s to %s); use partial_shaping",
                            nm, sg_shape_str(&old->shape, b1, sizeof b1), sg_shape_str(ns, b2, sizeof b2));
            goto done;
        }
        sg_shape_size(ns, &cnt);
        if (cnt > old->size && !allow_up_sizing) {
            st = sg__seterr(g, SG_ERR_SHAPE, "reshape: new shape of %s %s is larger than the original %s; use allow_up_sizing",
                            nm, sg_shape_str(ns, b1, sizeof b1), sg_shape_str(&old->shape, b2, sizeof b2));
            goto done;
        }
        if (cnt <= old->size) *dst = sg_nd_from_data(ns->ndim, ns->dims, old->dtype, old->data);
        else if (old->dev_type == SG_CPU) *dst = sg_nd_zeros_shape(ns, old->dtype);
        else *dst = sg_nd_zeros_dev(ns->ndim, ns->dims, old->dtype, old->dev_type, old->dev_id); /* device executors */
        if (*dst) { (*dst)->dev_type = old->dev_type; (*dst)->dev_id = old->dev_id; }
        if (!*dst) { st = sg__seterr(g, SG_ERR_NOMEM, "reshape: %s", sg_last_error()); goto done; }
        if (isarg) owna[ix] = 1; else ownx[ix] = 1;
        if (isarg && ex->grads[ix]) {
            if (cnt <= ex->grads[ix]->size) grads[ix] = sg_nd_from_data(ns->ndim, ns->dims, old->dtype, ex->grads[ix]->data);
            else if (old->dev_type == SG_CPU) grads[ix] = sg_nd_zeros_shape(ns, old->dtype);
            else grads[ix] = sg_nd_zeros_dev(ns->ndim, ns->dims, old->dtype, old->dev_type, old->dev_id); /* device executors */
            if (grads[ix]) { grads[ix]->dev_type = old->dev_type; grads[ix]->dev_id = old->dev_id; }
            if (!grads[ix]) { st = sg__seterr(g, SG_ERR_NOMEM, "reshape: %s", sg_last_error()); goto done; }
            owng[ix] = 1;
        }
    }
    memset(&d, 0, sizeof d);
    d.nargs = ex->nargs;
    d.args = args;
    d.ngrads = ex->nargs;
    d.grads = grads;
    d.grad_req = ex->req;
    d.naux = ex->naux;
    d.aux = aux;
    if ((st = sg_bind(g, ex->sym, ex->dev_type, &d, out)) != SG_OK) goto done;
    for (i = 0; i < ex->nargs; i++) { (*out)->own_args[i] = owna[i]; (*out)->own_grads[i] = owng[i]; }
    for (i = 0; i < ex->naux; i++) (*out)->own_aux[i] = ownx[i];
    (*out)->gemm = ex->gemm;
    (*out)->rng = ex->rng;
done:
    if (st != SG_OK)
        for (i = 0; args && grads && owna && owng && i < ex->nargs; i++) {
            if (owna[i]) sg_nd_free(args[i]);
            if (owng[i]) sg_nd_free(grads[i]);
        }
    if (st != SG_OK) for (i = 0; aux && ownx && i < ex->naux; i++) if (ownx[i]) sg_nd_free(aux[i]);
    sg__free(sarg); sg__free(saux); sg__free(args); sg__free(grads); sg__free(aux);
    sg__free(owna); sg__free(owng); sg__free(ownx);
    if (st != SG_OK) sg__exerr(ex, st);
    return st;
}

SG__DEF int sg_executor_copy_params(sg_executor *ex, int n, const char *const *names, sg_ndarray *const *arrays,
                                    int allow_extra) {
    int i;
    if (!ex || n < 0 || (n > 0 && (!names || !arrays))) return SG_ERR_ARG;
    for (i = 0; i < n; i++) {
        const char *nm = names[i];
        int which = -1;
        sg_ndarray *dst;
        if (!nm || !arrays[i]) return sg__exerr(ex, sg__seterr(ex->g, SG_ERR_ARG, "copy_params: entry %d is NULL", i));
        if (!strncmp(nm, "arg:", 4)) { which = SG_ARGS; nm += 4; }
        else if (!strncmp(nm, "aux:", 4)) { which = SG_AUX; nm += 4; }
        dst = which == SG_AUX ? NULL : sg__ex_lookup(ex, SG_ARGS, nm);
        if (!dst && which != SG_ARGS) dst = sg__ex_lookup(ex, SG_AUX, nm);
        if (!dst) {
            if (allow_extra) continue;
            return sg__exerr(ex, sg__seterr(ex->g, SG_ERR_ARG, "copy_params: Find name \"%s\" that is not in the %s", nm,
                                           which == SG_AUX ? "auxiliary states" : "arguments"));
        }
        if (!sg__shape_eq(&dst->shape, &arrays[i]->shape)) {
            char b1[256], b2[256];
            return sg__exerr(ex, sg__seterr(ex->g, SG_ERR_SHAPE, "copy_params: %s has shape %s, the executor's %s", nm,
                                           sg_shape_str(&arrays[i]->shape, b1, sizeof b1), sg_shape_str(&dst->shape, b2, sizeof b2)));
        }
        sg_nd_copy_to(arrays[i], dst);
    }
    return SG_OK;
}


/* ========================================================================== */
/* 8b. Training: optimizers, initializers, data iterator, module              */
/* ========================================================================== */

SG__INTERNAL int sg__upd_check(const sg_ndarray *w, const sg_ndarray *g, const sg_ndarray *s1, const sg_ndarray *s2) {
    const sg_ndarray *a[4];
    int i;
    a[0] = w; a[1] = g; a[2] = s1; a[3] = s2;
    if (!w || !g) return sg__lerr(SG_ERR_ARG, "optimizer update: weight or gradient is NULL");
    for (i = 0; i < 4; i++) {
        if (!a[i]) continue;
        if (a[i]->dtype != SG_FLOAT32) return sg__lerr(SG_ERR_TYPE, "optimizer update: array %d is %s, float32 is required", i, sg_dtype_name(a[i]->dtype));
        if (a[i]->size != w->size) return sg__lerr(SG_ERR_SHAPE, "optimizer update: array %d has %lld elements, the weight %lld", i, (long long)a[i]->size, (long long)w->size);
    }
    return SG_OK;
}
/* Device arrays: the update of the device's table (all arrays on that device). */
SG__INTERNAL const sg_device_ops *sg__upd_dev(const sg_ndarray *w, const sg_ndarray *g, const sg_ndarray *s1, const sg_ndarray *s2, int *st) {
    const sg_device_ops *ops;
    *st = SG_OK;
    if (w->dev_type == SG_CPU && g->dev_type == SG_CPU && (!s1 || s1->dev_type == SG_CPU) && (!s2 || s2->dev_type == SG_CPU)) return NULL;
    ops = sg_device_get(w->dev_type);
    if (!ops || g->dev_type != w->dev_type || (s1 && s1->dev_type != w->dev_type) || (s2 && s2->dev_type != w->dev_type))
        *st = sg__lerr(SG_ERR_ARG, "optimizer update: the arrays must all be on the CPU or all on one registered device");
    return ops;
}
SG__INTERNAL int sg__upd_devst(const sg_device_ops *ops, int st) {
    return st == SG_OK ? SG_OK : sg__lerr(st, "optimizer update: %s", ops->error());
}
SG__DEF int sg_sgd_update(sg_ndarray *w, const sg_ndarray *g, float lr, float wd, float rescale_grad, float clip_gradient) {
    const sg_device_ops *ops;
    int st = sg__upd_check(w, g, NULL, NULL);
    if (st) return st;
    if ((ops = sg__upd_dev(w, g, NULL, NULL, &st)) != NULL || st) {
        if (st) return st;
        if (!ops->sgd_update) return sg__lerr(SG_ERR_UNSUPPORTED, "sgd_update: the device has no kernel");
        return sg__upd_devst(ops, ops->sgd_update(SG__F(w), (const float *)g->data, w->size, lr, wd, rescale_grad, clip_gradient));
    }
    sg__sgd_run(SG__F(w), SG__F(w), (const float *)g->data, w->size, lr, wd, rescale_grad, clip_gradient);
    return SG_OK;
}
SG__DEF int sg_sgd_mom_update(sg_ndarray *w, const sg_ndarray *g, sg_ndarray *mom, float lr, float momentum, float wd,
                              float rescale_grad, float clip_gradient) {
    int st = sg__upd_check(w, g, mom, NULL);
    if (st) return st;
    if (!mom) return sg__lerr(SG_ERR_ARG, "sgd_mom_update: mom is NULL");
    {
        const sg_device_ops *ops = sg__upd_dev(w, g, mom, NULL, &st);
        if (st) return st;
        if (ops && !ops->sgd_mom_update) return sg__lerr(SG_ERR_UNSUPPORTED, "sgd_mom_update: the device has no kernel");
        if (ops) return sg__upd_devst(ops, ops->sgd_mom_update(SG__F(w), (const float *)g->data, SG__F(mom), w->size, lr, momentum, wd, rescale_grad, clip_gradient));
    }
    sg__sgd_mom_run(SG__F(w), SG__F(w), (const float *)g->data, SG__F(mom), w->size, lr, momentum, wd, rescale_grad, clip_gradient);
    return SG_OK;
}
SG__DEF int sg_adam_update(sg_ndarray *w, const sg_ndarray *g, sg_ndarray *mean, sg_ndarray *var, float lr, float beta1,
                           float beta2, float epsilon, float wd, float rescale_grad, float clip_gradient) {
    int st = sg__upd_check(w, g, mean, var);
    if (st) return st;
    if (!mean || !var) return sg__lerr(SG_ERR_ARG, "adam_update: mean or var is NULL");
    {
        const sg_device_ops *ops = sg__upd_dev(w, g, mean, var, &st);
        if (st) return st;
        if (ops && !ops->adam_update) return sg__lerr(SG_ERR_UNSUPPORTED, "adam_update: the device has no kernel");
        if (ops) return sg__upd_devst(ops, ops->adam_update(SG__F(w), (const float *)g->data, SG__F(mean), SG__F(var), w->size, lr, beta1, beta2, epsilon, wd, rescale_grad, clip_gradient));
    }
    sg__adam_run(SG__F(w), SG__F(w), (const float *)g->data, SG__F(mean), SG__F(var), w->size, lr, beta1, beta2, epsilon,
                 wd, rescale_grad, clip_gradient);
    return SG_OK;
}

/* ---- initializers ---- */
SG__INTERNAL int sg__ends(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}
SG__INTERNAL int sg__xavier(sg_ndarray *a, const char *rnd, const char *factor, double magnitude, sg_rng *r, const char *name) {
    double hw = 1, fan_in, fan_out, f, scale;
    int i;
    if (a->shape.ndim < 2)
        return sg__lerr(SG_ERR_SHAPE, "Xavier initializer cannot be applied to vector %s. It requires at least 2D.", name);
    for (i = 2; i < a->shape.ndim; i++) hw *= (double)a->shape.dims[i];
    fan_in = (double)a->shape.dims[1] * hw;
    fan_out = (double)a->shape.dims[0] * hw;
    if (!factor || !strcmp(factor, "avg")) f = (fan_in + fan_out) / 2.0;
    else if (!strcmp(factor, "in")) f = fan_in;
    else if (!strcmp(factor, "out")) f = fan_out;
    else return sg__lerr(SG_ERR_PARAM, "Xavier: incorrect factor type '%s'", factor);
    scale = sqrt(magnitude / (f > 0 ? f : 1));
    if (!rnd || !strcmp(rnd, "uniform")) return sg_nd_random_uniform(a, -scale, scale, r);
    if (!strcmp(rnd, "gaussian")) return sg_nd_random_normal(a, 0, scale, r);
    return sg__lerr(SG_ERR_PARAM, "Xavier: unknown random type '%s'", rnd);
}
SG__INTERNAL int sg__run_init(const sg_initializer *in, sg_ndarray *a, sg_rng *r, const char *name) {
    if (!in || in->type == 0 || in->type == SG_INIT_UNIFORM) {
        double sc = (in && in->type) ? in->scale : 0.01;
        return sg_nd_random_uniform(a, -sc, sc, r);
    }
    if (in->type == SG_INIT_NORMAL) return sg_nd_random_normal(a, 0, in->scale, r);
    if (in->type == SG_INIT_XAVIER)
        return sg__xavier(a, in->rnd_type, in->factor_type, in->magnitude > 0 ? in->magnitude : 3.0, r, name);
    return sg__lerr(SG_ERR_PARAM, "initializer: unknown type %d", in->type);
}
/* A parameter of an __init__ JSON object, as text or number. */
SG__INTERNAL int sg__init_param(const sg__json *J, int obj, const char *key, double *num, const char **str) {
    int c;
    if (obj < 0) return 0;
    for (c = J->v[obj].first; c >= 0; c = J->v[c].next) {
        if (strcmp(J->v[c].key, key)) continue;
        if (J->v[c].type == SG__J_NUM && num) { *num = J->v[c].num; return 1; }
        if (J->v[c].type == SG__J_STR && str) { *str = J->v[c].s; return 1; }
        if (J->v[c].type == SG__J_STR && num) return sg__parse_double(J->v[c].s, num);
    }
    return 0;
}
SG__DEF int sg_init_array(const sg_initializer *init, const char *name, const char *attr, sg_ndarray *a, sg_rng *r) {
    if (!name || !a || !r) return sg__lerr(SG_ERR_ARG, "sg_init_array: NULL argument");
    if (attr && *attr) {
        sg__json J;
        int root = sg__json_parse(&J, attr, strlen(attr)), st = SG_OK, k0, k1 = -1;
        char klass[32];
        size_t i;
        if (root < 0 || J.v[root].type != SG__J_ARR || J.v[root].count < 1 || J.v[J.v[root].first].type != SG__J_STR) {
            sg__json_free(&J);
            return sg__lerr(SG_ERR_PARAM, "%s: cannot parse __init__ '%s' (expected [\"name\", {...}])", name, attr);
        }
        k0 = J.v[root].first;
        if (J.v[root].count > 1) k1 = J.v[k0].next;
        if (k1 >= 0 && J.v[k1].type != SG__J_OBJ) k1 = -1;
        snprintf(klass, sizeof klass, "%s", J.v[k0].s);
        for (i = 0; klass[i]; i++) if (klass[i] >= 'A' && klass[i] <= 'Z') klass[i] = (char)(klass[i] - 'A' + 'a');
        if (!strcmp(klass, "zero") || !strcmp(klass, "zeros")) st = sg_nd_fill(a, 0);
        else if (!strcmp(klass, "one") || !strcmp(klass, "ones")) st = sg_nd_fill(a, 1);
        else if (!strcmp(klass, "constant")) {
            double v = 0;
            sg__init_param(&J, k1, "value", &v, NULL);
            st = sg_nd_fill(a, v);
        } else if (!strcmp(klass, "uniform")) {
            double sc = 0.07;
            sg__init_param(&J, k1, "scale", &sc, NULL);
            st = sg_nd_random_uniform(a, -sc, sc, r);
        } else if (!strcmp(klass, "normal")) {
            double sg = 0.01;
            sg__init_param(&J, k1, "sigma", &sg, NULL);
            st = sg_nd_random_normal(a, 0, sg, r);
        } else if (!strcmp(klass, "xavier") || !strcmp(klass, "msraprelu")) {
            const char *rnd = NULL, *fac = NULL;
            double mag = 3, slope = 0.25;
            sg__init_param(&J, k1, "rnd_type", NULL, &rnd);
            sg__init_param(&J, k1, "factor_type", NULL, &fac);
            sg__init_param(&J, k1, "magnitude", &mag, NULL);
            if (!strcmp(klass, "msraprelu")) {
                sg__init_param(&J, k1, "slope", &slope, NULL);
                rnd = "gaussian";
                mag = 2.0 / (1 + slope * slope);
            }
            st = sg__xavier(a, rnd, fac, mag, r, name);
        } else st = sg__lerr(SG_ERR_PARAM, "%s: unknown initializer '%s' in __init__", name, J.v[k0].s);
        sg__json_free(&J);
        return st;
    }
    if (sg__ends(name, "weight")) return sg__run_init(init, a, r, name);
    if (sg__ends(name, "bias") || sg__ends(name, "beta") || sg__ends(name, "moving_mean") || sg__ends(name, "running_mean") ||
        sg__ends(name, "min"))
        return sg_nd_fill(a, 0);
    if (sg__ends(name, "gamma") || sg__ends(name, "moving_var") || sg__ends(name, "running_var") || sg__ends(name, "max"))
        return sg_nd_fill(a, 1);
    return sg__lerr(SG_ERR_PARAM, "Unknown initialization pattern for %s. Default initialization is now limited to "
                                  "\"weight\", \"bias\", \"gamma\" (1.0), and \"beta\" (0.0).", name);
}

/* ---- data iterator ---- */
SG__DEF int sg_iter_init(sg_data_iter *it, sg_ndarray *data, sg_ndarray *label, int batch_size, int shuffle,
                         const char *last, uint64_t seed) {
    int64_t i;
    if (!it) return sg__lerr(SG_ERR_ARG, "sg_iter_init: iterator is NULL");
    memset(it, 0, sizeof *it);
    if (!data || data->shape.ndim < 1 || batch_size < 1)
        return sg__lerr(SG_ERR_ARG, "sg_iter_init: need data with a batch axis and batch_size >= 1 (got %d)", batch_size);
    if (label && (label->shape.ndim < 1 || label->shape.dims[0] != data->shape.dims[0]))
        return sg__lerr(SG_ERR_SHAPE, "sg_iter_init: data has %lld samples, label %lld", (long long)data->shape.dims[0],
                        label->shape.ndim ? (long long)label->shape.dims[0] : 0LL);
    if (last && strcmp(last, "pad") && strcmp(last, "discard"))
        return sg__lerr(SG_ERR_ARG, "sg_iter_init: last_batch_handle '%s' is not pad or discard", last);
    it->data = data;
    it->label = label;
    it->batch_size = batch_size;
    it->shuffle = shuffle;
    it->discard_last = last && !strcmp(last, "discard");
    it->seed = seed;
    it->num = data->shape.dims[0];
    it->order = (int64_t *)sg__calloc((size_t)it->num + 1, sizeof(int64_t));
    if (!it->order) return sg__lerr(SG_ERR_NOMEM, "sg_iter_init: out of memory");
    for (i = 0; i < it->num; i++) it->order[i] = i;
    it->epoch = 0;
    return SG_OK;
}
SG__DEF void sg_iter_reset(sg_data_iter *it) {
    int64_t i;
    if (!it || !it->order) return;
    it->cursor = 0;
    for (i = 0; i < it->num; i++) it->order[i] = i;
    if (it->shuffle) {
        sg_rng r;
        sg_rng_seed(&r, it->seed + 0x9E37u * (uint64_t)(it->epoch + 1));
        for (i = it->num - 1; i > 0; i--) {
            int64_t j = (int64_t)(sg_rng_next(&r) % (uint64_t)(i + 1)), t = it->order[i];
            it->order[i] = it->order[j];
            it->order[j] = t;
        }
    }
    it->epoch++;
}
SG__DEF int sg_iter_next(sg_data_iter *it, sg_ndarray *db, sg_ndarray *lb, int *pad) {
    int64_t b, dsz, lsz = 0;
    size_t des, les = 0;
    if (!it || !it->order || !db) return sg__lerr(SG_ERR_ARG, "sg_iter_next: bad arguments");
    if (it->cursor >= it->num) return 0;
    if (it->discard_last && it->cursor + it->batch_size > it->num) return 0;
    dsz = it->num ? it->data->size / it->num : 0;
    des = sg_dtype_size(it->data->dtype);
    if (db->size != dsz * it->batch_size || db->dtype != it->data->dtype)
        return sg__lerr(SG_ERR_SHAPE, "sg_iter_next: data batch array has %lld elements, expected %lld", (long long)db->size,
                        (long long)(dsz * it->batch_size));
    if (it->label && lb) {
        lsz = it->label->size / it->num;
        les = sg_dtype_size(it->label->dtype);
        if (lb->size != lsz * it->batch_size)
            return sg__lerr(SG_ERR_SHAPE, "sg_iter_next: label batch array has %lld elements, expected %lld", (long long)lb->size,
                            (long long)(lsz * it->batch_size));
    }
    for (b = 0; b < it->batch_size; b++) {
        int64_t src = it->order[(it->cursor + b) % it->num];
        memcpy((char *)db->data + (size_t)(b * dsz) * des, (const char *)it->data->data + (size_t)(src * dsz) * des, (size_t)dsz * des);
        if (it->label && lb) {
            if (lb->dtype == it->label->dtype)
                memcpy((char *)lb->data + (size_t)(b * lsz) * les, (const char *)it->label->data + (size_t)(src * lsz) * les, (size_t)lsz * les);
            else {
                int64_t q;
                for (q = 0; q < lsz; q++) sg__store(lb->data, lb->dtype, b * lsz + q, sg__load(it->label->data, it->label->dtype, src * lsz + q));
            }
        }
    }
    if (pad) *pad = it->cursor + it->batch_size > it->num ? (int)(it->cursor + it->batch_size - it->num) : 0;
    it->cursor += it->batch_size;
    return 1;
}
SG__DEF void sg_iter_free(sg_data_iter *it) {
    if (!it) return;
    sg__free(it->order);
    it->order = NULL;
}

/* ---- module ---- */
struct sg_module {
    sg_graph *g;
    const sg_symbol *sym;
    sg_executor *ex;
    sg_module_opts o;
    int di, li, batch, np;
    int *pidx;              /* argument index of each parameter */
    sg_ndarray **s1, **s2;  /* optimizer states */
    long *t;
    float *lrm, *wdm;
    char err[SG__ERRLEN];
    /* ---- device modules: CPU mirrors of the data, label and first output ---- */
    const sg_device_ops *dops;
    sg_ndarray *hdata, *hlabel, *hout;
};
SG__INTERNAL int sg__merr(sg_module *m, int st, const char *msg) {
    snprintf(m->err, sizeof m->err, "%s", msg);
    return st;
}
SG__DEF const char *sg_module_error(const sg_module *m) { return m ? m->err : "no module"; }
SG__DEF sg_executor *sg_module_executor(sg_module *m) { return m ? m->ex : NULL; }
SG__DEF void sg_module_set_learning_rate(sg_module *m, float lr) { if (m && lr > 0) m->o.learning_rate = lr; }
SG__DEF float sg_module_learning_rate(const sg_module *m) { return m ? m->o.learning_rate : 0.0f; }
SG__DEF void sg_module_free(sg_module *m) {
    int i;
    if (!m) return;
    for (i = 0; i < m->np; i++) {
        if (m->s1) sg_nd_free(m->s1[i]);
        if (m->s2) sg_nd_free(m->s2[i]);
    }
    sg__free(m->s1); sg__free(m->s2); sg__free(m->pidx); sg__free(m->t); sg__free(m->lrm); sg__free(m->wdm);
    sg_nd_free(m->hdata); sg_nd_free(m->hlabel); sg_nd_free(m->hout);
    sg_executor_free(m->ex);
    sg__free(m);
}
/* ---- device modules: initialise on the CPU and copy; float32 device zeros ---- */
SG__INTERNAL int sg__mod_init(sg_module *m, const char *nm, const char *attr, sg_ndarray *a, sg_rng *r) {
    sg_ndarray *h;
    int st;
    if (!m->dops) return sg_init_array(&m->o.init, nm, attr, a, r);
    if (!(h = sg_nd_zeros_shape(&a->shape, a->dtype))) return SG_ERR_NOMEM;
    st = sg_init_array(&m->o.init, nm, attr, h, r);
    if (st == SG_OK) st = sg_nd_copy_to(h, a);
    sg_nd_free(h);
    return st;
}
SG__INTERNAL sg_ndarray *sg__mod_zeros(const sg_ndarray *a) {
    return sg_nd_zeros_dev(a->shape.ndim, a->shape.dims, SG_FLOAT32, a->dev_type, a->dev_id);
}
/* The batch: straight into the arguments on the CPU, through the mirrors on a device. */
SG__INTERNAL int sg__mod_next(sg_module *m, sg_data_iter *it, int with_label, int *pad) {
    int st;
    sg_ndarray *lb = with_label && m->li >= 0 ? m->ex->args[m->li] : NULL;
    if (!m->dops) return sg_iter_next(it, m->ex->args[m->di], lb, pad);
    st = sg_iter_next(it, m->hdata, lb ? m->hlabel : NULL, pad);
    if (st != 1) return st;
    if (sg_nd_copy_to(m->hdata, m->ex->args[m->di]) != SG_OK || (lb && sg_nd_copy_to(m->hlabel, lb) != SG_OK)) return SG_ERR_UNSUPPORTED;
    return 1;
}
/* The first output and the label arrays the metrics read (CPU). */
SG__INTERNAL int sg__mod_out(sg_module *m, const sg_ndarray **out, const sg_ndarray **label) {
    if (!m->dops) {
        *out = m->ex->outs[0];
        *label = m->li >= 0 ? m->ex->args[m->li] : NULL;
        return SG_OK;
    }
    *out = m->hout;
    *label = m->li >= 0 ? m->hlabel : NULL;
    return sg_nd_copy_to(m->ex->outs[0], m->hout);
}
SG__DEF int sg_module_create(sg_graph *g, const sg_symbol *s, const sg_module_opts *o, sg_module **out) {
    sg_module *m;
    const char *names[2], *nulls[3];
    sg_shape shapes[2];
    int st, i, k;
    sg_rng r;
    if (!out) return g ? sg__seterr(g, SG_ERR_ARG, "module: out is NULL") : SG_ERR_ARG;
    *out = NULL;
    if ((st = sg__check_sym(g, s, "module")) != SG_OK) return st;
    if (!o || o->data_shape.ndim < 1) return sg__seterr(g, SG_ERR_ARG, "module: a data shape (batch_size, ...) is required");
    m = (sg_module *)sg__calloc(1, sizeof(sg_module));
    if (!m) return SG__NOMEM(g);
    m->g = g;
    m->sym = s;
    m->o = *o;
    if (!m->o.data_name) m->o.data_name = "data";
    if (!m->o.label_name) m->o.label_name = "softmax_label";
    if (!m->o.optimizer) m->o.optimizer = SG_OPT_SGD;
    if (m->o.learning_rate <= 0) m->o.learning_rate = m->o.optimizer == SG_OPT_ADAM ? 0.001f : 0.01f;
    if (m->o.beta1 <= 0) m->o.beta1 = 0.9f;
    if (m->o.beta2 <= 0) m->o.beta2 = 0.999f;
    if (m->o.epsilon <= 0) m->o.epsilon = 1e-8f;
    if (m->o.clip_gradient == 0) m->o.clip_gradient = -1;
    m->batch = (int)o->data_shape.dims[0];
    if (m->o.rescale_grad == 0) m->o.rescale_grad = 1.0f / (float)m->batch;
    names[0] = m->o.data_name;
    names[1] = m->o.label_name;
    shapes[0] = o->data_shape;
    if (o->label_shape.ndim > 0) shapes[1] = o->label_shape;
    else { memset(&shapes[1], 0, sizeof shapes[1]); shapes[1].ndim = 1; shapes[1].dims[0] = m->batch; }
    nulls[0] = names[0]; nulls[1] = names[1]; nulls[2] = NULL;
    st = sg__bind_alloc(g, s, o->dev_type > SG_CPU ? o->dev_type : SG_CPU, 2, names, shapes, NULL, SG_REQ_WRITE, &m->ex, NULL, NULL, 0, nulls);
    if (st != SG_OK) { sg__merr(m, st, g->err); sg_module_free(m); return st; }
    m->dops = m->ex->dops;
    sg_executor_seed(m->ex, o->seed);
    m->di = m->li = -1;
    m->pidx = (int *)sg__calloc((size_t)m->ex->nargs + 1, sizeof(int));
    m->s1 = (sg_ndarray **)sg__calloc((size_t)m->ex->nargs + 1, sizeof(sg_ndarray *));
    m->s2 = (sg_ndarray **)sg__calloc((size_t)m->ex->nargs + 1, sizeof(sg_ndarray *));
    m->t = (long *)sg__calloc((size_t)m->ex->nargs + 1, sizeof(long));
    m->lrm = (float *)sg__calloc((size_t)m->ex->nargs + 1, sizeof(float));
    m->wdm = (float *)sg__calloc((size_t)m->ex->nargs + 1, sizeof(float));
    if (!m->pidx || !m->s1 || !m->s2 || !m->t || !m->lrm || !m->wdm) { sg_module_free(m); return SG__NOMEM(g); }
    sg_rng_seed(&r, o->seed);
    for (i = 0; i < m->ex->nargs; i++) {
        const char *nm = m->ex->argn[i]->name, *v;
        double x;
        if (!strcmp(nm, m->o.data_name)) { m->di = i; continue; }
        if (!strcmp(nm, m->o.label_name)) { m->li = i; continue; }
        k = m->np++;
        m->pidx[k] = i;
        v = sg__attrs_get(&m->ex->argn[i]->attrs, "__lr_mult__");
        m->lrm[k] = (v && sg__parse_double(v, &x)) ? (float)x : 1.0f;
        v = sg__attrs_get(&m->ex->argn[i]->attrs, "__wd_mult__");
        m->wdm[k] = (v && sg__parse_double(v, &x)) ? (float)x : (sg__ends(nm, "_weight") || sg__ends(nm, "_gamma")) ? 1.0f : 0.0f;
        st = sg__mod_init(m, nm, sg__attrs_get(&m->ex->argn[i]->attrs, "__init__"), m->ex->args[i], &r);
        if (st != SG_OK) { st = sg__seterr(g, st, "module: %s", sg_last_error()); sg__merr(m, st, g->err); sg_module_free(m); return st; }
        if (m->o.optimizer == SG_OPT_ADAM || m->o.momentum > 0) {
            m->s1[k] = m->dops ? sg__mod_zeros(m->ex->args[i]) : sg_nd_zeros_shape(&m->ex->args[i]->shape, SG_FLOAT32);
            if (!m->s1[k]) { sg_module_free(m); return SG__NOMEM(g); }
        }
        if (m->o.optimizer == SG_OPT_ADAM) {
            m->s2[k] = m->dops ? sg__mod_zeros(m->ex->args[i]) : sg_nd_zeros_shape(&m->ex->args[i]->shape, SG_FLOAT32);
            if (!m->s2[k]) { sg_module_free(m); return SG__NOMEM(g); }
        }
    }
    if (m->dops) { /* ---- device modules: CPU mirrors ---- */
        m->hdata = sg_nd_zeros_shape(&m->ex->args[m->di >= 0 ? m->di : 0]->shape, m->ex->args[m->di >= 0 ? m->di : 0]->dtype);
        m->hlabel = m->li >= 0 ? sg_nd_zeros_shape(&m->ex->args[m->li]->shape, m->ex->args[m->li]->dtype) : NULL;
        m->hout = sg_nd_zeros_shape(&m->ex->outs[0]->shape, m->ex->outs[0]->dtype);
        if (!m->hdata || !m->hout || (m->li >= 0 && !m->hlabel)) { sg_module_free(m); return SG__NOMEM(g); }
    }
    for (i = 0; i < m->ex->naux; i++) {
        st = sg__mod_init(m, m->ex->auxn[i]->name, sg__attrs_get(&m->ex->auxn[i]->attrs, "__init__"), m->ex->aux[i], &r);
        if (st != SG_OK) { st = sg__seterr(g, st, "module: %s", sg_last_error()); sg__merr(m, st, g->err); sg_module_free(m); return st; }
    }
    if (m->di < 0) {
        st = sg__seterr(g, SG_ERR_ARG, "module: the symbol has no argument named %s", m->o.data_name);
        sg_module_free(m);
        return st;
    }
    *out = m;
    return SG_OK;
}
/* Accumulate accuracy and cross-entropy of probabilities p (rows x classes). */
SG__INTERNAL void sg__metrics_add(sg_metrics *mt, const sg_ndarray *p, const sg_ndarray *label, int valid) {
    int64_t rows = p->shape.dims[0], cls = rows ? p->size / rows : 0, i, j;
    const float *pp = (const float *)p->data;
    double ce = 0, acc = 0;
    for (i = 0; i < valid && i < rows; i++) {
        int64_t best = 0, y = label ? (int64_t)sg__load(label->data, label->dtype, i) : 0;
        for (j = 1; j < cls; j++) if (pp[i * cls + j] > pp[i * cls + best]) best = j;
        acc += best == y;
        if (y >= 0 && y < cls) ce += -log((double)pp[i * cls + y] + 1e-12);
    }
    mt->accuracy = (mt->accuracy * (double)mt->samples + acc) / (double)(mt->samples + valid);
    mt->cross_entropy = (mt->cross_entropy * (double)mt->samples + ce) / (double)(mt->samples + valid);
    mt->samples += valid;
}
SG__INTERNAL int sg__module_update(sg_module *m) {
    int k;
    for (k = 0; k < m->np; k++) {
        int i = m->pidx[k];
        sg_ndarray *w = m->ex->args[i], *gr = m->ex->grads[i];
        float lr = m->o.learning_rate * m->lrm[k], wd = m->o.wd * m->wdm[k];
        if (!gr) continue;
        m->t[k]++;
        if (m->dops) { /* ---- device modules: the device's update kernels ---- */
            int st;
            if (m->o.optimizer == SG_OPT_ADAM) {
                double c1 = 1.0 - pow((double)m->o.beta1, (double)m->t[k]), c2 = 1.0 - pow((double)m->o.beta2, (double)m->t[k]);
                float lrt = (float)((double)lr * sqrt(c2) / c1);
                st = sg_adam_update(w, gr, m->s1[k], m->s2[k], lrt, m->o.beta1, m->o.beta2, m->o.epsilon, wd, m->o.rescale_grad, m->o.clip_gradient);
            } else if (m->o.momentum > 0) {
                st = sg_sgd_mom_update(w, gr, m->s1[k], lr, m->o.momentum, wd, m->o.rescale_grad, m->o.clip_gradient);
            } else {
                st = sg_sgd_update(w, gr, lr, wd, m->o.rescale_grad, m->o.clip_gradient);
            }
            if (st != SG_OK) return sg__merr(m, st, sg_last_error());
            continue;
        }
        if (m->o.optimizer == SG_OPT_ADAM) {
            double c1 = 1.0 - pow((double)m->o.beta1, (double)m->t[k]), c2 = 1.0 - pow((double)m->o.beta2, (double)m->t[k]);
            float lrt = (float)((double)lr * sqrt(c2) / c1);
            sg__adam_run(SG__F(w), SG__F(w), SG__F(gr), SG__F(m->s1[k]), SG__F(m->s2[k]), w->size, lrt, m->o.beta1,
                         m->o.beta2, m->o.epsilon, wd, m->o.rescale_grad, m->o.clip_gradient);
        } else if (m->o.momentum > 0) {
            sg__sgd_mom_run(SG__F(w), SG__F(w), SG__F(gr), SG__F(m->s1[k]), w->size, lr, m->o.momentum, wd,
                            m->o.rescale_grad, m->o.clip_gradient);
        } else {
            sg__sgd_run(SG__F(w), SG__F(w), SG__F(gr), w->size, lr, wd, m->o.rescale_grad, m->o.clip_gradient);
        }
    }
    return SG_OK;
}
SG__DEF int sg_module_fit_epoch(sg_module *m, sg_data_iter *it, sg_metrics *train, sg_batch_callback cb, void *user) {
    int st, pad = 0, b = 0, nb;
    sg_metrics mt;
    if (!m || !it) return SG_ERR_ARG;
    memset(&mt, 0, sizeof mt);
    nb = (int)((it->num + m->batch - 1) / m->batch);
    if (it->discard_last) nb = (int)(it->num / m->batch);
    sg_iter_reset(it);
    while ((st = sg__mod_next(m, it, 1, &pad)) == 1) {
        const sg_ndarray *po, *pl;
        if ((st = sg_forward(m->ex, 1)) != SG_OK) return sg__merr(m, st, m->ex->err);
        if ((st = sg__mod_out(m, &po, &pl)) != SG_OK) return sg__merr(m, st, sg_last_error());
        sg__metrics_add(&mt, po, pl, m->batch - pad);
        if ((st = sg_backward(m->ex, 0, NULL)) != SG_OK) return sg__merr(m, st, m->ex->err);
        if ((st = sg__module_update(m)) != SG_OK) return st;
        if (cb) cb(user, b, nb, &mt);
        b++;
    }
    if (st < 0) return sg__merr(m, st, sg_last_error());
    if (train) *train = mt;
    return SG_OK;
}
SG__DEF int sg_module_score(sg_module *m, sg_data_iter *it, sg_metrics *out) {
    int st, pad = 0;
    sg_metrics mt;
    if (!m || !it) return SG_ERR_ARG;
    memset(&mt, 0, sizeof mt);
    sg_iter_reset(it);
    while ((st = sg__mod_next(m, it, 1, &pad)) == 1) {
        const sg_ndarray *po, *pl;
        if ((st = sg_forward(m->ex, 0)) != SG_OK) return sg__merr(m, st, m->ex->err);
        if ((st = sg__mod_out(m, &po, &pl)) != SG_OK) return sg__merr(m, st, sg_last_error());
        sg__metrics_add(&mt, po, pl, m->batch - pad);
    }
    if (st < 0) return sg__merr(m, st, sg_last_error());
    if (out) *out = mt;
    return SG_OK;
}
SG__DEF int sg_module_predict(sg_module *m, sg_data_iter *it, sg_ndarray *out) {
    int st, pad = 0;
    int64_t row = 0, cols;
    if (!m || !it || !out) return SG_ERR_ARG;
    cols = m->ex->outs[0]->size / m->batch;
    if (out->dtype != SG_FLOAT32 || out->size != it->num * cols)
        return sg__merr(m, SG_ERR_SHAPE, "predict: the output array must be float32 with one row of the first output per sample");
    sg_iter_reset(it);
    while ((st = sg__mod_next(m, it, 0, &pad)) == 1) {
        int64_t keep = m->batch - pad;
        const sg_ndarray *po, *pl;
        if ((st = sg_forward(m->ex, 0)) != SG_OK) return sg__merr(m, st, m->ex->err);
        if ((st = sg__mod_out(m, &po, &pl)) != SG_OK) return sg__merr(m, st, sg_last_error());
        memcpy(SG__F(out) + row * cols, po->data, (size_t)(keep * cols) * sizeof(float));
        row += keep;
    }
    return st < 0 ? st : SG_OK;
}
SG__DEF int sg_module_save_checkpoint(sg_module *m, const char *prefix, int epoch) {
    char path[4096];
    const char **names;
    sg_ndarray **arrs;
    int i, n = 0, st;
    if (!m || !prefix) return SG_ERR_ARG;
    snprintf(path, sizeof path, "%s-symbol.json", prefix);
    if ((st = sg_save(m->g, m->sym, path)) != SG_OK) return sg__merr(m, st, m->g->err);
    names = (const char **)sg__calloc((size_t)(m->np + m->ex->naux) + 1, sizeof(char *));
    arrs = (sg_ndarray **)sg__calloc((size_t)(m->np + m->ex->naux) + 1, sizeof(sg_ndarray *));
    if (!names || !arrs) { sg__free((void *)names); sg__free(arrs); return sg__merr(m, SG_ERR_NOMEM, "out of memory"); }
    for (i = 0; i < m->np; i++) {
        names[n] = sg__cat("arg:", m->ex->argn[m->pidx[i]]->name, NULL, NULL);
        arrs[n++] = m->ex->args[m->pidx[i]];
    }
    for (i = 0; i < m->ex->naux; i++) {
        names[n] = sg__cat("aux:", m->ex->auxn[i]->name, NULL, NULL);
        arrs[n++] = m->ex->aux[i];
    }
    snprintf(path, sizeof path, "%s-%04d.params", prefix, epoch);
    st = SG_OK;
    for (i = 0; i < n; i++) if (!names[i]) st = SG_ERR_NOMEM;
    if (st == SG_OK && m->dops) /* ---- device modules: save CPU copies ---- */
        for (i = 0; i < n; i++) {
            sg_ndarray *h = sg_nd_zeros_shape(&arrs[i]->shape, arrs[i]->dtype);
            if (!h || sg_nd_copy_to(arrs[i], h) != SG_OK) { sg_nd_free(h); st = SG_ERR_NOMEM; arrs[i] = NULL; continue; }
            arrs[i] = h;
        }
    if (st == SG_OK) st = sg_nd_save(path, n, arrs, names);
    for (i = 0; i < n && m->dops; i++) sg_nd_free(arrs[i]);
    for (i = 0; i < n; i++) sg__free((void *)names[i]);
    sg__free((void *)names);
    sg__free(arrs);
    return st == SG_OK ? SG_OK : sg__merr(m, st, sg_last_error());
}
SG__DEF int sg_module_load_params(sg_module *m, const char *prefix, int epoch) {
    char path[4096];
    sg_ndarray **arrs = NULL;
    char **names = NULL;
    int n = 0, st, i;
    if (!m || !prefix) return SG_ERR_ARG;
    snprintf(path, sizeof path, "%s-%04d.params", prefix, epoch);
    if ((st = sg_nd_load(path, &n, &arrs, &names)) != SG_OK) return sg__merr(m, st, sg_last_error());
    if (!names) { sg_nd_list_free(n, arrs, names); return sg__merr(m, SG_ERR_PARSE, "load_params: the file has no names"); }
    for (i = 0; i < m->np; i++) {
        const char *pn = m->ex->argn[m->pidx[i]]->name;
        int j, found = 0;
        for (j = 0; j < n; j++) if (!strncmp(names[j], "arg:", 4) && !strcmp(names[j] + 4, pn)) found = 1;
        if (!found) {
            char msg[512];
            snprintf(msg, sizeof msg, "load_params: %.200s has no arg:%.200s", path, pn);
            sg_nd_list_free(n, arrs, names);
            return sg__merr(m, SG_ERR_ARG, msg);
        }
    }
    st = sg_executor_copy_params(m->ex, n, (const char *const *)names, arrs, 1);
    sg_nd_list_free(n, arrs, names);
    return st == SG_OK ? SG_OK : sg__merr(m, st, m->ex->err);
}

/* ========================================================================== */
/* 9. Parameter files                                                         */
/* ========================================================================== */

/* MXNet's NDArray list files (.params, spec section 11) and NumPy .npy files.
 *
 * Everything on disk is little-endian whatever the host: integers go through
 * byte-by-byte helpers and element data is byte-swapped on a big-endian host.
 *
 * Readers never trust a count: the file size is taken first, and every count
 * (N, K, name lengths, ndim, dims, data bytes) is checked against the bytes that
 * are left before anything is allocated. Every error names the function, the
 * file, the offset and the field with its value; everything allocated so far is
 * freed and the outputs are left empty.
 *
 * sg_nd_load decisions (spec 11.3, 11.4):
 *   - V1 (0xF993FAC8), V2 (0xF993FAC9), V3 (0xF993FACA) and pre-V1 records (the
 *     first word is ndim, then u32 dims) are read. V3 is accepted whether or not
 *     the caller is "in numpy mode" (we have no such mode); V3 ndim 0 is a
 *     scalar with one element, as are V1 and pre-V1 ndim 0.
 *   - A record that MXNet reads as an empty "none" NDArray (V2 ndim 0, V1 ndim -1
 *     or a V1 dim of -1) is an error (SG_ERR_UNSUPPORTED): sg_ndarray has no
 *     "none" state and silently dropping it would shift the names.
 *   - ndim < 0 in V2/V3 and any other negative dim is corrupt (SG_ERR_PARSE).
 *     ndim > SG_MAX_NDIM is SG_ERR_UNSUPPORTED when the dims fit in the file.
 *   - Sparse storage types (1 row_sparse, 2 csr, others) and dtype flags 8-11
 *     (int16, uint16, uint32, uint64: MXNet 1.9.1 cannot load them either) are
 *     SG_ERR_UNSUPPORTED; unknown dtype flags are SG_ERR_PARSE.
 *   - The context (dev_type, dev_id) is read and ignored: arrays come back on
 *     the CPU (dev_type 1, dev_id 0), owning their data (owns = 1).
 *   - K must be 0 or N. A name containing a NUL byte is an error (C strings).
 *     Repeated names are all returned, in file order. Bytes after the names are
 *     ignored, as MXNet does. An empty list gives *n = 0 and *arrays = NULL.
 *
 * sg_nd_save writes V2 records only (as mx.nd.save), context (1, 0). It checks
 * every argument before creating the file, and removes a partly written file.
 *
 * .npy: sg_nd_save_npy writes version 1.0 exactly as NumPy >= 1.24 does (keys
 * sorted, the spare "growth" spaces after the dict, then spaces and '\n' up to a
 * multiple of 64; a header already on a multiple of 64 gets 64 more spaces, as
 * NumPy's formula gives). For headers under about 100 bytes (up to 3-4 dims)
 * older NumPy writes the very same bytes. sg_nd_load_npy reads versions 1.0,
 * 2.0 and 3.0, parses the header as a Python dict literal (any key order and
 * spacing, ' or " quotes, trailing commas, Python 2 'L' suffixes), requires
 * exactly the keys descr, fortran_order and shape, accepts the descrs
 * [<>|=]{f4,f8,f2,u1,i1,i4,i8,b1} (big-endian data is byte-swapped), transposes
 * fortran_order True data into C order, and requires the data to be exactly
 * product(shape) elements: short data and trailing bytes are both errors.
 */

#define SG__ND_MAGIC_V1 0xF993FAC8u
#define SG__ND_MAGIC_V2 0xF993FAC9u
#define SG__ND_MAGIC_V3 0xF993FACAu
#define SG__ND_LIST_MAGIC 0x112u

/* ---- byte order ---- */
SG__INTERNAL int sg__host_big_endian(void) {
    uint16_t x = 1;
    unsigned char c;
    memcpy(&c, &x, 1);
    return c == 0;
}
SG__INTERNAL void sg__le_put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v & 0xff); p[1] = (unsigned char)((v >> 8) & 0xff);
    p[2] = (unsigned char)((v >> 16) & 0xff); p[3] = (unsigned char)((v >> 24) & 0xff);
}
SG__INTERNAL void sg__le_put64(unsigned char *p, uint64_t v) {
    sg__le_put32(p, (uint32_t)(v & 0xffffffffu));
    sg__le_put32(p + 4, (uint32_t)(v >> 32));
}
SG__INTERNAL uint32_t sg__le_get32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
SG__INTERNAL uint64_t sg__le_get64(const unsigned char *p) {
    return (uint64_t)sg__le_get32(p) | ((uint64_t)sg__le_get32(p + 4) << 32);
}
/* Two's complement reinterpretation without implementation-defined casts. */
SG__INTERNAL int32_t sg__u32_to_i32(uint32_t v) {
    return v <= 0x7fffffffu ? (int32_t)v : (int32_t)(v - 0x80000000u) - (int32_t)0x7fffffff - 1;
}
SG__INTERNAL int64_t sg__u64_to_i64(uint64_t v) {
    return v <= (uint64_t)INT64_MAX ? (int64_t)v : (int64_t)(v - (uint64_t)INT64_MAX - 1) - INT64_MAX - 1;
}
/* Reverse the bytes of each of count elements of size es. */
SG__INTERNAL void sg__bswap_elems(void *data, size_t count, size_t es) {
    unsigned char *p = (unsigned char *)data, t;
    size_t i, j;
    if (es < 2) return;
    for (i = 0; i < count; i++, p += es)
        for (j = 0; j < es / 2; j++) { t = p[j]; p[j] = p[es - 1 - j]; p[es - 1 - j] = t; }
}

/* ---- file writer ---- */
typedef struct sg__wfile {
    FILE *f;
    const char *path, *fn;
    int err; /* errno of the first failed write, or -1 */
} sg__wfile;

SG__INTERNAL int sg__w_open(sg__wfile *w, const char *fn, const char *path) {
    w->fn = fn;
    w->path = path;
    w->err = 0;
    w->f = fopen(path, "wb");
    if (!w->f) return sg__lerr(SG_ERR_IO, "%s: cannot create '%s': %s", fn, path, strerror(errno));
    return SG_OK;
}
SG__INTERNAL void sg__w_bytes(sg__wfile *w, const void *p, size_t n) {
    if (w->err || !n) return;
    errno = 0;
    if (fwrite(p, 1, n, w->f) != n) w->err = errno ? errno : -1;
}
SG__INTERNAL void sg__w_u32(sg__wfile *w, uint32_t v) {
    unsigned char b[4];
    sg__le_put32(b, v);
    sg__w_bytes(w, b, 4);
}
SG__INTERNAL void sg__w_u64(sg__wfile *w, uint64_t v) {
    unsigned char b[8];
    sg__le_put64(b, v);
    sg__w_bytes(w, b, 8);
}
/* Element data, little-endian on disk. */
SG__INTERNAL void sg__w_elems(sg__wfile *w, const void *data, size_t nbytes, size_t es) {
    unsigned char tmp[4096];
    const unsigned char *p = (const unsigned char *)data;
    if (!nbytes) return;
    if (es < 2 || !sg__host_big_endian()) { sg__w_bytes(w, data, nbytes); return; }
    while (nbytes) {
        size_t n = nbytes < sizeof tmp ? nbytes : sizeof tmp; /* a multiple of es (1, 2, 4, 8) */
        memcpy(tmp, p, n);
        sg__bswap_elems(tmp, n / es, es);
        sg__w_bytes(w, tmp, n);
        p += n;
        nbytes -= n;
    }
}
/* Close; on any failure remove the partial file and report. */
SG__INTERNAL int sg__w_close(sg__wfile *w) {
    errno = 0;
    if (fclose(w->f) != 0 && !w->err) w->err = errno ? errno : -1;
    w->f = NULL;
    if (!w->err) return SG_OK;
    remove(w->path);
    return sg__lerr(SG_ERR_IO, "%s: writing '%s' failed: %s", w->fn, w->path,
                    w->err > 0 ? strerror(w->err) : "short write");
}

/* ---- file reader (bounded by the file size) ---- */
typedef struct sg__rfile {
    FILE *f;
    const char *path, *fn;
    uint64_t size, pos;
} sg__rfile;

SG__INTERNAL int sg__r_open(sg__rfile *r, const char *fn, const char *path) {
    long sz;
    r->fn = fn;
    r->path = path;
    r->size = r->pos = 0;
    r->f = fopen(path, "rb");
    if (!r->f) return sg__lerr(SG_ERR_IO, "%s: cannot open '%s': %s", fn, path, strerror(errno));
    if (fseek(r->f, 0, SEEK_END) != 0 || (sz = ftell(r->f)) < 0 || fseek(r->f, 0, SEEK_SET) != 0) {
        fclose(r->f);
        r->f = NULL;
        return sg__lerr(SG_ERR_IO, "%s: cannot get the size of '%s' (not a regular file?)", fn, path);
    }
    r->size = (uint64_t)sz;
    return SG_OK;
}
SG__INTERNAL void sg__r_close(sg__rfile *r) {
    if (r->f) fclose(r->f);
    r->f = NULL;
}
SG__INTERNAL uint64_t sg__r_left(const sg__rfile *r) { return r->pos < r->size ? r->size - r->pos : 0; }

/* Error "FN: 'PATH': offset OFF: <message>". */
SG__INTERNAL int sg__rerr(const sg__rfile *r, int status, uint64_t off, const char *fmt, ...) {
    char msg[SG__ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sg__lerr(status, "%s: '%s': offset %llu: %s", r->fn, r->path, (unsigned long long)off, msg);
}
/* Read n bytes of field `what` (n already known to be sane or checked here). */
SG__INTERNAL int sg__r_bytes(sg__rfile *r, void *dst, uint64_t n, const char *what) {
    size_t got;
    if (n > sg__r_left(r))
        return sg__rerr(r, SG_ERR_PARSE, r->pos,
                        "file is truncated: %s needs %llu bytes, only %llu left (file size %llu)",
                        what, (unsigned long long)n, (unsigned long long)sg__r_left(r), (unsigned long long)r->size);
    if (!n) return SG_OK;
    got = fread(dst, 1, (size_t)n, r->f);
    if (got != (size_t)n)
        return sg__rerr(r, SG_ERR_IO, r->pos + got, "read error in %s (%llu of %llu bytes read)", what,
                        (unsigned long long)got, (unsigned long long)n);
    r->pos += n;
    return SG_OK;
}
SG__INTERNAL int sg__r_u32(sg__rfile *r, uint32_t *v, const char *what) {
    unsigned char b[4];
    int rc = sg__r_bytes(r, b, 4, what);
    if (rc == SG_OK) *v = sg__le_get32(b);
    return rc;
}
SG__INTERNAL int sg__r_i32(sg__rfile *r, int32_t *v, const char *what) {
    uint32_t u = 0;
    int rc = sg__r_u32(r, &u, what);
    if (rc == SG_OK) *v = sg__u32_to_i32(u);
    return rc;
}
SG__INTERNAL int sg__r_u64(sg__rfile *r, uint64_t *v, const char *what) {
    unsigned char b[8];
    int rc = sg__r_bytes(r, b, 8, what);
    if (rc == SG_OK) *v = sg__le_get64(b);
    return rc;
}

/* Allocate an owning array of a shape already checked against the bytes left
 * (bytes = product(dims) * element size) and read its data. */
SG__INTERNAL int sg__r_array(sg__rfile *r, int ndim, const int64_t *dims, int dtype, uint64_t off, const char *what,
                             sg_ndarray **out) {
    sg_ndarray *a;
    int rc;
    *out = NULL;
    a = sg__nd_header(ndim, dims, dtype);
    if (!a) {
        char m[SG__ERRLEN];
        int st = strstr(sg_last_error(), "out of memory") ? SG_ERR_NOMEM : SG_ERR_PARSE;
        memcpy(m, sg_last_error(), sizeof m);
        m[sizeof m - 1] = 0;
        return sg__rerr(r, st, off, "%s: %s", what, m);
    }
    if (a->nbytes) {
        a->data = sg__malloc(a->nbytes);
        if (!a->data) {
            unsigned long long nb = (unsigned long long)a->nbytes;
            sg__free(a);
            return sg__rerr(r, SG_ERR_NOMEM, off, "%s: cannot allocate %llu bytes of data", what, nb);
        }
    }
    a->owns = 1;
    a->dev_type = SG_CPU;
    a->dev_id = 0;
    rc = sg__r_bytes(r, a->data, a->nbytes, what);
    if (rc != SG_OK) { sg_nd_free(a); return rc; }
    *out = a;
    return SG_OK;
}

/* Shape text "(2, 3)" for messages. */
SG__INTERNAL const char *sg__dims_str(char *buf, size_t bufsz, int ndim, const int64_t *dims) {
    size_t n = 0;
    int i;
    buf[0] = 0;
    n += (size_t)snprintf(buf, bufsz, "(");
    for (i = 0; i < ndim && n < bufsz; i++)
        n += (size_t)snprintf(buf + n, bufsz - n, "%s%lld", i ? ", " : "", (long long)dims[i]);
    if (n < bufsz) snprintf(buf + n, bufsz - n, ")");
    return buf;
}

/* Bytes of product(dims) elements of size es, or an error when they cannot fit
 * in the `left` bytes that remain (this also rules out overflow). */
SG__INTERNAL int sg__data_bytes(int ndim, const int64_t *dims, size_t es, uint64_t left, uint64_t *bytes) {
    uint64_t b = es;
    int i;
    for (i = 0; i < ndim; i++)
        if (dims[i] == 0) { *bytes = 0; return SG_OK; }
    for (i = 0; i < ndim; i++) {
        if ((uint64_t)dims[i] > left / b) return SG_ERR_OVERFLOW;
        b *= (uint64_t)dims[i];
    }
    if (b > left) return SG_ERR_OVERFLOW;
    *bytes = b;
    return SG_OK;
}

/* ---- .params ---- */

SG__INTERNAL const char *sg__stype_name(int32_t st) {
    return st == 1 ? "row_sparse" : st == 2 ? "csr" : st == -1 ? "undefined" : "unknown";
}

/* Read record `idx` (spec 11.3 / 11.4) into *out. */
SG__INTERNAL int sg__nd_read_record(sg__rfile *r, int idx, sg_ndarray **out) {
    uint64_t off = r->pos, need, bytes = 0, doff;
    uint32_t magic = 0, u;
    int32_t stype = 0, ndim32 = 0, dev = 0, dtype = 0;
    int64_t dims[SG_MAX_NDIM];
    int ver, ndim, i, rc;
    size_t dimsz, es;
    char what[64], sbuf[256];
    *out = NULL;
    snprintf(what, sizeof what, "record %d magic", idx);
    if ((rc = sg__r_u32(r, &magic, what)) != SG_OK) return rc;
    ver = magic == SG__ND_MAGIC_V1 ? 1 : magic == SG__ND_MAGIC_V2 ? 2 : magic == SG__ND_MAGIC_V3 ? 3 : 0;
    if (ver >= 2) {
        snprintf(what, sizeof what, "record %d storage type", idx);
        if ((rc = sg__r_i32(r, &stype, what)) != SG_OK) return rc;
        if (stype != 0)
            return sg__rerr(r, SG_ERR_UNSUPPORTED, off + 4,
                            "record %d: storage type %d (%s) is not supported: only dense (0) arrays can be loaded",
                            idx, (int)stype, sg__stype_name(stype));
    }
    if (ver >= 1) {
        snprintf(what, sizeof what, "record %d ndim", idx);
        if ((rc = sg__r_i32(r, &ndim32, what)) != SG_OK) return rc;
        if (ver == 2 && ndim32 == 0)
            return sg__rerr(r, SG_ERR_UNSUPPORTED, r->pos - 4,
                            "record %d: V2 record with ndim 0 is an empty (none) NDArray, which sg_ndarray cannot "
                            "represent", idx);
        if (ver == 1 && ndim32 == -1)
            return sg__rerr(r, SG_ERR_UNSUPPORTED, r->pos - 4,
                            "record %d: V1 record with unknown shape (ndim -1) is an empty (none) NDArray, which "
                            "sg_ndarray cannot represent", idx);
        if (ndim32 < 0)
            return sg__rerr(r, SG_ERR_PARSE, r->pos - 4, "record %d (V%d): invalid ndim %d", idx, ver, (int)ndim32);
        u = (uint32_t)ndim32;
        dimsz = 8;
    } else {
        u = magic; /* pre-V1: the first word is ndim, dims are u32 */
        dimsz = 4;
    }
    need = (uint64_t)u * dimsz;
    if (need > sg__r_left(r)) {
        if (ver)
            return sg__rerr(r, SG_ERR_PARSE, r->pos - 4,
                            "file is truncated or corrupt: record %d (V%d): ndim %lu needs %llu bytes of dims, "
                            "only %llu left (file size %llu)", idx, ver, (unsigned long)u, (unsigned long long)need,
                            (unsigned long long)sg__r_left(r), (unsigned long long)r->size);
        return sg__rerr(r, SG_ERR_PARSE, off,
                        "file is truncated or corrupt: record %d: unrecognised record magic 0x%08lx; read as a pre-V1 "
                        "ndim (%lu) it needs %llu bytes of dims, only %llu left (file size %llu)", idx,
                        (unsigned long)u, (unsigned long)u, (unsigned long long)need,
                        (unsigned long long)sg__r_left(r), (unsigned long long)r->size);
    }
    if (u > SG_MAX_NDIM)
        return sg__rerr(r, SG_ERR_UNSUPPORTED, ver ? r->pos - 4 : off,
                        "record %d (%s%d): ndim %lu is more than SG_MAX_NDIM (%d)%s", idx, ver ? "V" : "pre-V",
                        ver ? ver : 1, (unsigned long)u, SG_MAX_NDIM,
                        ver ? "" : " (or the record magic is unrecognised)");
    ndim = (int)u;
    for (i = 0; i < ndim; i++) {
        uint64_t doff2 = r->pos;
        snprintf(what, sizeof what, "record %d dim %d", idx, i);
        if (dimsz == 4) {
            uint32_t d32 = 0;
            if ((rc = sg__r_u32(r, &d32, what)) != SG_OK) return rc;
            dims[i] = (int64_t)d32;
        } else {
            uint64_t d64 = 0;
            if ((rc = sg__r_u64(r, &d64, what)) != SG_OK) return rc;
            dims[i] = sg__u64_to_i64(d64);
            if (ver == 1 && dims[i] == -1)
                return sg__rerr(r, SG_ERR_UNSUPPORTED, doff2,
                                "record %d: V1 record with unknown dim %d (-1) is an empty (none) NDArray, which "
                                "sg_ndarray cannot represent", idx, i);
            if (dims[i] < 0)
                return sg__rerr(r, SG_ERR_PARSE, doff2, "record %d: dim %d is negative (%lld)", idx, i,
                                (long long)dims[i]);
        }
    }
    snprintf(what, sizeof what, "record %d context", idx);
    if ((rc = sg__r_i32(r, &dev, what)) != SG_OK || (rc = sg__r_i32(r, &dev, what)) != SG_OK) return rc;
    snprintf(what, sizeof what, "record %d dtype flag", idx);
    if ((rc = sg__r_i32(r, &dtype, what)) != SG_OK) return rc;
    if (dtype >= 8 && dtype <= 11) {
        static const char *const nm[4] = {"int16", "uint16", "uint32", "uint64"};
        return sg__rerr(r, SG_ERR_UNSUPPORTED, r->pos - 4,
                        "record %d: dtype flag %d (%s) is not supported (MXNet 1.9.1 cannot load it either)", idx,
                        (int)dtype, nm[dtype - 8]);
    }
    es = sg_dtype_size((int)dtype);
    if (!es)
        return sg__rerr(r, SG_ERR_PARSE, r->pos - 4, "record %d: unknown dtype flag %d", idx, (int)dtype);
    doff = r->pos;
    if (sg__data_bytes(ndim, dims, es, sg__r_left(r), &bytes) != SG_OK)
        return sg__rerr(r, SG_ERR_PARSE, doff,
                        "file is truncated or corrupt: record %d: data of shape %s %s needs more than the %llu "
                        "bytes left (file size %llu)", idx, sg__dims_str(sbuf, sizeof sbuf, ndim, dims),
                        sg_dtype_name((int)dtype), (unsigned long long)sg__r_left(r), (unsigned long long)r->size);
    snprintf(what, sizeof what, "record %d data", idx);
    if ((rc = sg__r_array(r, ndim, dims, (int)dtype, doff, what, out)) != SG_OK) return rc;
    if (sg__host_big_endian()) sg__bswap_elems((*out)->data, (size_t)(*out)->size, es);
    return SG_OK;
}

SG__DEF void sg_nd_list_free(int n, sg_ndarray **arrays, char **names) {
    int i;
    if (arrays) {
        for (i = 0; i < n; i++) sg_nd_free(arrays[i]);
        sg__free(arrays);
    }
    if (names) {
        for (i = 0; i < n; i++) sg__free(names[i]);
        sg__free(names);
    }
}

SG__DEF int sg_nd_load(const char *path, int *n, sg_ndarray ***arrays, char ***names) {
    sg__rfile r;
    uint64_t magic = 0, reserved = 0, N = 0, K = 0, L = 0, i;
    sg_ndarray **arrs = NULL;
    char **nms = NULL;
    int cap = 0, got = 0, rc;
    char what[64];
    if (n) *n = 0;
    if (arrays) *arrays = NULL;
    if (names) *names = NULL;
    if (!path || !n || !arrays || !names) return sg__lerr(SG_ERR_ARG, "sg_nd_load: NULL argument");
    if ((rc = sg__r_open(&r, "sg_nd_load", path)) != SG_OK) return rc;
    if ((rc = sg__r_u64(&r, &magic, "list magic")) != SG_OK) goto fail;
    if (magic != SG__ND_LIST_MAGIC) {
        rc = sg__rerr(&r, SG_ERR_PARSE, 0, "not an MXNet NDArray file: list magic 0x%llx, expected 0x112",
                      (unsigned long long)magic);
        goto fail;
    }
    if ((rc = sg__r_u64(&r, &reserved, "reserved word")) != SG_OK) goto fail;
    if ((rc = sg__r_u64(&r, &N, "array count N")) != SG_OK) goto fail;
    /* every record takes at least 8 bytes (a V1 "none" record), and K follows */
    if (N > sg__r_left(&r) / 8 || N > (uint64_t)INT_MAX) {
        rc = sg__rerr(&r, SG_ERR_PARSE, r.pos - 8,
                      "file is truncated or corrupt: array count N = %llu cannot fit in the %llu bytes left "
                      "(file size %llu)", (unsigned long long)N,
                      (unsigned long long)sg__r_left(&r), (unsigned long long)r.size);
        goto fail;
    }
    for (i = 0; i < N; i++) {
        if (!SG__GROW(arrs, cap, got + 1)) { rc = sg__rerr(&r, SG_ERR_NOMEM, r.pos, "out of memory"); goto fail; }
        if ((rc = sg__nd_read_record(&r, got, &arrs[got])) != SG_OK) goto fail;
        got++;
    }
    if ((rc = sg__r_u64(&r, &K, "name count K")) != SG_OK) goto fail;
    if (K != 0 && K != N) {
        rc = sg__rerr(&r, SG_ERR_PARSE, r.pos - 8, "name count K = %llu must be 0 or N = %llu", (unsigned long long)K,
                      (unsigned long long)N);
        goto fail;
    }
    if (K) {
        nms = (char **)sg__calloc((size_t)K, sizeof(char *));
        if (!nms) { rc = sg__rerr(&r, SG_ERR_NOMEM, r.pos, "out of memory"); goto fail; }
        for (i = 0; i < K; i++) {
            uint64_t loff = r.pos;
            snprintf(what, sizeof what, "name %d length", (int)i);
            if ((rc = sg__r_u64(&r, &L, what)) != SG_OK) goto fail;
            if (L > sg__r_left(&r)) {
                rc = sg__rerr(&r, SG_ERR_PARSE, loff,
                              "file is truncated or corrupt: name %d length %llu exceeds the %llu bytes left "
                              "(file size %llu)",
                              (int)i, (unsigned long long)L, (unsigned long long)sg__r_left(&r),
                              (unsigned long long)r.size);
                goto fail;
            }
            nms[i] = (char *)sg__malloc((size_t)L + 1);
            if (!nms[i]) { rc = sg__rerr(&r, SG_ERR_NOMEM, r.pos, "out of memory"); goto fail; }
            snprintf(what, sizeof what, "name %d", (int)i);
            if ((rc = sg__r_bytes(&r, nms[i], L, what)) != SG_OK) goto fail;
            nms[i][L] = 0;
            if (strlen(nms[i]) != (size_t)L) {
                rc = sg__rerr(&r, SG_ERR_PARSE, loff + 8 + strlen(nms[i]), "name %d contains a NUL byte", (int)i);
                goto fail;
            }
        }
    }
    sg__r_close(&r);
    *n = got;
    *arrays = arrs;
    *names = nms;
    return SG_OK;
fail:
    sg__r_close(&r);
    sg_nd_list_free(got, arrs, NULL);
    sg_nd_list_free((int)K, NULL, nms);
    return rc;
}

/* Check an array for saving: known shape, dtype, data present, CPU. */
SG__INTERNAL int sg__nd_save_check(const char *fn, const char *path, int i, const sg_ndarray *a, int allow_0d) {
    int64_t count;
    size_t bytes;
    char m[SG__ERRLEN];
    if (!a) return sg__lerr(SG_ERR_ARG, "%s: '%s': array %d is NULL", fn, path, i);
    if (!allow_0d && a->shape.ndim == 0)
        return sg__lerr(SG_ERR_ARG, "%s: '%s': array %d has ndim 0, which a V2 record cannot hold (it would load as "
                                    "an empty array); reshape it to (1,)", fn, path, i);
    if (sg__nd_check(a->shape.ndim, a->shape.dims, a->dtype, &count, &bytes) != SG_OK) {
        memcpy(m, sg_last_error(), sizeof m);
        m[sizeof m - 1] = 0;
        return sg__lerr(SG_ERR_ARG, "%s: '%s': array %d: %s", fn, path, i, m);
    }
    if (count != a->size || bytes != a->nbytes)
        return sg__lerr(SG_ERR_ARG, "%s: '%s': array %d: size %lld / nbytes %llu do not match its shape and dtype",
                        fn, path, i, (long long)a->size, (unsigned long long)a->nbytes);
    if (bytes && !a->data) return sg__lerr(SG_ERR_ARG, "%s: '%s': array %d has no data", fn, path, i);
    if (a->dev_type == SG_GPU)
        return sg__lerr(SG_ERR_ARG, "%s: '%s': array %d is on the GPU; copy it to the CPU first", fn, path, i);
    return SG_OK;
}

SG__DEF int sg_nd_save(const char *path, int n, sg_ndarray *const *arrays, const char *const *names) {
    static const char *fn = "sg_nd_save";
    sg__wfile w;
    int i, j, rc;
    if (!path) return sg__lerr(SG_ERR_ARG, "%s: path is NULL", fn);
    if (n < 0 || (n > 0 && !arrays)) return sg__lerr(SG_ERR_ARG, "%s: '%s': bad array list (n = %d)", fn, path, n);
    for (i = 0; i < n; i++) {
        if ((rc = sg__nd_save_check(fn, path, i, arrays[i], 0)) != SG_OK) return rc;
        if (names && !names[i]) return sg__lerr(SG_ERR_ARG, "%s: '%s': name %d is NULL", fn, path, i);
    }
    if ((rc = sg__w_open(&w, fn, path)) != SG_OK) return rc;
    sg__w_u64(&w, SG__ND_LIST_MAGIC);
    sg__w_u64(&w, 0);
    sg__w_u64(&w, (uint64_t)n);
    for (i = 0; i < n; i++) {
        const sg_ndarray *a = arrays[i];
        sg__w_u32(&w, SG__ND_MAGIC_V2);
        sg__w_u32(&w, 0); /* dense */
        sg__w_u32(&w, (uint32_t)a->shape.ndim);
        for (j = 0; j < a->shape.ndim; j++) sg__w_u64(&w, (uint64_t)a->shape.dims[j]);
        sg__w_u32(&w, 1); /* cpu */
        sg__w_u32(&w, 0);
        sg__w_u32(&w, (uint32_t)a->dtype);
        sg__w_elems(&w, a->data, a->nbytes, sg_dtype_size(a->dtype));
    }
    sg__w_u64(&w, names ? (uint64_t)n : 0);
    if (names)
        for (i = 0; i < n; i++) {
            size_t l = strlen(names[i]);
            sg__w_u64(&w, (uint64_t)l);
            sg__w_bytes(&w, names[i], l);
        }
    return sg__w_close(&w);
}

/* ---- .npy ---- */

SG__INTERNAL const char *sg__npy_descr(int dtype) {
    switch (dtype) {
    case SG_FLOAT32: return "<f4";
    case SG_FLOAT64: return "<f8";
    case SG_FLOAT16: return "<f2";
    case SG_UINT8: return "|u1";
    case SG_INT8: return "|i1";
    case SG_INT32: return "<i4";
    case SG_INT64: return "<i8";
    case SG_BOOL: return "|b1";
    }
    return NULL;
}

SG__DEF int sg_nd_save_npy(const char *path, const sg_ndarray *a) {
    static const char *fn = "sg_nd_save_npy";
    char h[1024];
    unsigned char pre[10];
    const char *descr;
    size_t len, hlen, pad, digits;
    int i, rc;
    sg__wfile w;
    if (!path) return sg__lerr(SG_ERR_ARG, "%s: path is NULL", fn);
    if ((rc = sg__nd_save_check(fn, path, 0, a, 1)) != SG_OK) return rc;
    descr = sg__npy_descr(a->dtype);
    if (!descr)
        return sg__lerr(SG_ERR_UNSUPPORTED, "%s: '%s': dtype %s has no NumPy descr", fn, path,
                        sg_dtype_name(a->dtype) ? sg_dtype_name(a->dtype) : "?");
    /* numpy/lib/format.py _write_array_header: sorted keys, repr() values */
    len = (size_t)snprintf(h, sizeof h, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    for (i = 0; i < a->shape.ndim; i++)
        len += (size_t)snprintf(h + len, sizeof h - len, "%s%lld", i ? ", " : "", (long long)a->shape.dims[i]);
    len += (size_t)snprintf(h + len, sizeof h - len, "%s), }", a->shape.ndim == 1 ? "," : "");
    /* spare space to let axis 0 grow in place (GROWTH_AXIS_MAX_DIGITS = 21) */
    if (a->shape.ndim > 0) {
        char d[32];
        digits = (size_t)snprintf(d, sizeof d, "%lld", (long long)a->shape.dims[0]);
        for (; digits < 21; digits++) h[len++] = ' ';
    }
    /* _wrap_header: pad with spaces and a '\n' so that 10 + HEADER_LEN % 64 == 0;
     * padlen = 64 - ((10 + len + 1) % 64), which is 64 (not 0) when aligned */
    hlen = len + 1;
    pad = 64 - ((10 + hlen) % 64);
    memset(h + len, ' ', pad);
    len += pad;
    h[len++] = '\n';
    memcpy(pre, "\x93NUMPY\x01\x00", 8);
    pre[8] = (unsigned char)(len & 0xff);
    pre[9] = (unsigned char)((len >> 8) & 0xff);
    if ((rc = sg__w_open(&w, fn, path)) != SG_OK) return rc;
    sg__w_bytes(&w, pre, 10);
    sg__w_bytes(&w, h, len);
    sg__w_elems(&w, a->data, a->nbytes, sg_dtype_size(a->dtype));
    return sg__w_close(&w);
}

/* A tiny parser of the header: a Python dict literal. */
typedef struct sg__npyp {
    const char *s;
    size_t n, i;
    const sg__rfile *r;
    uint64_t base; /* file offset of s[0] */
} sg__npyp;

SG__INTERNAL int sg__npy_fail(sg__npyp *p, const char *fmt, const char *arg) {
    char m[256];
    snprintf(m, sizeof m, fmt, arg ? arg : "");
    return sg__rerr(p->r, SG_ERR_PARSE, p->base + p->i, "bad .npy header: %s", m);
}
SG__INTERNAL void sg__npy_ws(sg__npyp *p) {
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r' ||
                           p->s[p->i] == '\f' || p->s[p->i] == '\v'))
        p->i++;
}
SG__INTERNAL int sg__npy_expect(sg__npyp *p, char c) {
    char e[2];
    sg__npy_ws(p);
    if (p->i < p->n && p->s[p->i] == c) { p->i++; return SG_OK; }
    e[0] = c;
    e[1] = 0;
    return sg__npy_fail(p, "expected '%s'", e);
}
/* A quoted string (no escapes) into out (at most outsz-1 chars). */
SG__INTERNAL int sg__npy_str(sg__npyp *p, char *out, size_t outsz) {
    char q;
    size_t k = 0;
    sg__npy_ws(p);
    if (p->i >= p->n || (p->s[p->i] != '\'' && p->s[p->i] != '"')) return sg__npy_fail(p, "expected a string%s", NULL);
    q = p->s[p->i++];
    while (p->i < p->n && p->s[p->i] != q) {
        if (p->s[p->i] == '\\' || p->s[p->i] == '\n')
            return sg__npy_fail(p, "unsupported character in a string%s", NULL);
        if (k + 1 >= outsz) return sg__npy_fail(p, "string too long%s", NULL);
        out[k++] = p->s[p->i++];
    }
    if (p->i >= p->n) return sg__npy_fail(p, "unterminated string%s", NULL);
    p->i++;
    out[k] = 0;
    return SG_OK;
}
SG__INTERNAL int sg__npy_digit(char c) { return c >= '0' && c <= '9'; }
SG__INTERNAL int sg__npy_idchar(char c) {
    return sg__npy_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
SG__INTERNAL int sg__npy_word(sg__npyp *p, const char *w) {
    size_t l = strlen(w);
    if (p->n - p->i >= l && !memcmp(p->s + p->i, w, l) && !(p->i + l < p->n && sg__npy_idchar(p->s[p->i + l]))) {
        p->i += l;
        return 1;
    }
    return 0;
}
SG__INTERNAL int sg__npy_shape(sg__npyp *p, int *ndim, int64_t *dims) {
    int n = 0, comma = 0;
    if (sg__npy_expect(p, '(') != SG_OK) return sg__npy_fail(p, "shape must be a tuple such as (2, 3)%s", NULL);
    for (;;) {
        int64_t v = 0;
        sg__npy_ws(p);
        if (p->i < p->n && p->s[p->i] == ')') break;
        if (n > 0 && !comma) return sg__npy_fail(p, "expected ',' or ')' in shape%s", NULL);
        if (p->i >= p->n || !sg__npy_digit(p->s[p->i]))
            return sg__npy_fail(p, "shape entries must be non-negative integers%s", NULL);
        while (p->i < p->n && sg__npy_digit(p->s[p->i])) {
            int d = p->s[p->i++] - '0';
            if (v > (INT64_MAX - d) / 10) return sg__npy_fail(p, "shape entry overflows int64%s", NULL);
            v = v * 10 + d;
        }
        if (p->i < p->n && (p->s[p->i] == 'L' || p->s[p->i] == 'l')) p->i++; /* Python 2 long */
        if (n >= SG_MAX_NDIM) {
            char m[64];
            snprintf(m, sizeof m, "%d", SG_MAX_NDIM);
            return sg__rerr(p->r, SG_ERR_UNSUPPORTED, p->base + p->i, "shape has more than SG_MAX_NDIM (%s) dims", m);
        }
        dims[n++] = v;
        sg__npy_ws(p);
        comma = p->i < p->n && p->s[p->i] == ',';
        if (comma) p->i++;
    }
    p->i++;
    if (n == 1 && !comma) return sg__npy_fail(p, "shape (N) is not a tuple; a 1-d shape is written (N,)%s", NULL);
    *ndim = n;
    return SG_OK;
}

SG__DEF sg_ndarray *sg_nd_load_npy(const char *path) {
    static const char *fn = "sg_nd_load_npy";
    sg__rfile r;
    sg__npyp p;
    unsigned char pre[12];
    char *h = NULL, key[32], descr[32], sbuf[256];
    unsigned char *tmp = NULL;
    int major, minor, have_descr = 0, have_fo = 0, have_shape = 0, fortran = 0, ndim = 0, dtype = -1, swap = 0, rc;
    int64_t dims[SG_MAX_NDIM];
    uint64_t hlen, bytes = 0, doff;
    size_t es = 0;
    sg_ndarray *a = NULL;
    if (!path) { sg__lerr(SG_ERR_ARG, "%s: path is NULL", fn); return NULL; }
    if (sg__r_open(&r, fn, path) != SG_OK) return NULL;
    if (sg__r_bytes(&r, pre, 8, "magic and version") != SG_OK) goto fail;
    if (memcmp(pre, "\x93NUMPY", 6) != 0) {
        sg__rerr(&r, SG_ERR_PARSE, 0, "not a .npy file (magic is not \\x93NUMPY)");
        goto fail;
    }
    major = pre[6];
    minor = pre[7];
    if (!((major == 1 || major == 2 || major == 3) && minor == 0)) {
        sg__rerr(&r, SG_ERR_UNSUPPORTED, 6, ".npy version %d.%d is not supported (1.0, 2.0, 3.0)", major, minor);
        goto fail;
    }
    if (major == 1) {
        if (sg__r_bytes(&r, pre + 8, 2, "HEADER_LEN") != SG_OK) goto fail;
        hlen = (uint64_t)pre[8] | ((uint64_t)pre[9] << 8);
    } else {
        if (sg__r_bytes(&r, pre + 8, 4, "HEADER_LEN") != SG_OK) goto fail;
        hlen = sg__le_get32(pre + 8);
    }
    if (hlen > sg__r_left(&r)) {
        sg__rerr(&r, SG_ERR_PARSE, 8, "HEADER_LEN %llu exceeds the %llu bytes left (file size %llu)",
                 (unsigned long long)hlen, (unsigned long long)sg__r_left(&r), (unsigned long long)r.size);
        goto fail;
    }
    h = (char *)sg__malloc((size_t)hlen + 1);
    if (!h) { sg__rerr(&r, SG_ERR_NOMEM, r.pos, "out of memory"); goto fail; }
    p.base = r.pos;
    if (sg__r_bytes(&r, h, hlen, "header") != SG_OK) goto fail;
    h[hlen] = 0;
    p.s = h;
    p.n = (size_t)hlen;
    p.i = 0;
    p.r = &r;
    /* the dict */
    if (sg__npy_expect(&p, '{') != SG_OK) goto fail;
    for (;;) {
        sg__npy_ws(&p);
        if (p.i < p.n && p.s[p.i] == '}') { p.i++; break; }
        if (sg__npy_str(&p, key, sizeof key) != SG_OK) goto fail;
        if (sg__npy_expect(&p, ':') != SG_OK) goto fail;
        sg__npy_ws(&p);
        if (!strcmp(key, "descr")) {
            if (have_descr) { sg__npy_fail(&p, "duplicate key '%s'", key); goto fail; }
            have_descr = 1;
            if (p.i < p.n && p.s[p.i] == '[') {
                sg__rerr(&r, SG_ERR_UNSUPPORTED, p.base + p.i, "structured dtypes (a descr list) are not supported");
                goto fail;
            }
            if (sg__npy_str(&p, descr, sizeof descr) != SG_OK) goto fail;
        } else if (!strcmp(key, "fortran_order")) {
            if (have_fo) { sg__npy_fail(&p, "duplicate key '%s'", key); goto fail; }
            have_fo = 1;
            if (sg__npy_word(&p, "True")) fortran = 1;
            else if (sg__npy_word(&p, "False")) fortran = 0;
            else { sg__npy_fail(&p, "fortran_order must be True or False%s", NULL); goto fail; }
        } else if (!strcmp(key, "shape")) {
            if (have_shape) { sg__npy_fail(&p, "duplicate key '%s'", key); goto fail; }
            have_shape = 1;
            if (sg__npy_shape(&p, &ndim, dims) != SG_OK) goto fail;
        } else {
            sg__npy_fail(&p, "unexpected key '%s' (only descr, fortran_order and shape)", key);
            goto fail;
        }
        sg__npy_ws(&p);
        if (p.i < p.n && p.s[p.i] == ',') { p.i++; continue; }
        if (p.i < p.n && p.s[p.i] == '}') { p.i++; break; }
        sg__npy_fail(&p, "expected ',' or '}'%s", NULL);
        goto fail;
    }
    sg__npy_ws(&p);
    if (p.i != p.n) { sg__npy_fail(&p, "unexpected text after the dict%s", NULL); goto fail; }
    if (!have_descr || !have_fo || !have_shape) {
        sg__npy_fail(&p, "missing key '%s'", !have_descr ? "descr" : !have_fo ? "fortran_order" : "shape");
        goto fail;
    }
    /* descr: optional byte order, kind, size */
    {
        const char *d = descr;
        char order = '=';
        if (*d == '<' || *d == '>' || *d == '|' || *d == '=') order = *d++;
        if (!strcmp(d, "f4")) dtype = SG_FLOAT32;
        else if (!strcmp(d, "f8")) dtype = SG_FLOAT64;
        else if (!strcmp(d, "f2")) dtype = SG_FLOAT16;
        else if (!strcmp(d, "u1")) dtype = SG_UINT8;
        else if (!strcmp(d, "i1")) dtype = SG_INT8;
        else if (!strcmp(d, "i4")) dtype = SG_INT32;
        else if (!strcmp(d, "i8")) dtype = SG_INT64;
        else if (!strcmp(d, "b1")) dtype = SG_BOOL;
        if (dtype < 0) {
            sg__rerr(&r, SG_ERR_UNSUPPORTED, p.base,
                     "descr '%s' is not supported (f4, f8, f2, u1, i1, i4, i8, b1 with '<', '>' or '|')", descr);
            goto fail;
        }
        es = sg_dtype_size(dtype);
        swap = (order == '>' && !sg__host_big_endian()) || (order == '<' && sg__host_big_endian());
    }
    doff = r.pos;
    if (sg__data_bytes(ndim, dims, es, sg__r_left(&r), &bytes) != SG_OK) {
        sg__rerr(&r, SG_ERR_PARSE, doff, "data is truncated: shape %s '%s' needs more than the %llu bytes left",
                 sg__dims_str(sbuf, sizeof sbuf, ndim, dims), descr, (unsigned long long)sg__r_left(&r));
        goto fail;
    }
    if (bytes != sg__r_left(&r)) {
        sg__rerr(&r, SG_ERR_PARSE, doff + bytes, "%llu trailing bytes after the %llu data bytes of shape %s '%s'",
                 (unsigned long long)(sg__r_left(&r) - bytes), (unsigned long long)bytes,
                 sg__dims_str(sbuf, sizeof sbuf, ndim, dims), descr);
        goto fail;
    }
    rc = sg__r_array(&r, ndim, dims, dtype, doff, "data", &a);
    if (rc != SG_OK) goto fail;
    if (swap) sg__bswap_elems(a->data, (size_t)a->size, es);
    if (fortran && ndim > 1 && a->size > 0) {
        /* column-major file data: element (i0, .., ik) is at sum(ij * prod(d0..dj-1)) */
        int64_t idx[SG_MAX_NDIM], stride[SG_MAX_NDIM], src = 0, e;
        int k;
        tmp = (unsigned char *)sg__malloc(a->nbytes);
        if (!tmp) { sg__rerr(&r, SG_ERR_NOMEM, doff, "out of memory transposing fortran_order data"); goto fail; }
        memcpy(tmp, a->data, a->nbytes);
        for (k = 0; k < ndim; k++) { idx[k] = 0; stride[k] = k ? stride[k - 1] * dims[k - 1] : 1; }
        for (e = 0; e < a->size; e++) {
            memcpy((unsigned char *)a->data + (size_t)e * es, tmp + (size_t)src * es, es);
            for (k = ndim - 1; k >= 0; k--) { /* next C-order index */
                idx[k]++;
                src += stride[k];
                if (idx[k] < dims[k]) break;
                src -= stride[k] * idx[k];
                idx[k] = 0;
            }
        }
        sg__free(tmp);
    }
    sg__free(h);
    sg__r_close(&r);
    return a;
fail:
    sg_nd_free(a);
    sg__free(h);
    sg__r_close(&r);
    return NULL;
}

/* ========================================================================== */
/* 10. Visualization                                                          */
/* ========================================================================== */
/* Mirrors of python/mxnet/visualization.py (print_summary, plot_network). Both
 * work as MXNet does: on the parsed tojson() text (json.loads(symbol.tojson()))
 * and on a name -> shape dictionary made from get_internals().infer_shape. */

typedef struct sg__viz_ent { const char *name; int idx; } sg__viz_ent;
typedef struct sg__viz {
    sg_graph *g;
    sg__json J;
    int *node;               /* DOM index of each node object */
    int nn;
    int heads[3], nheads;    /* set(conf["heads"][0]) */
    int show_shape, show_type;
    const char *const *onames; /* internals' list_outputs() */
    sg_shape *oshape;
    int *otype;
    struct sg__viz_ent *osorted; /* outputs sorted by name (ties: index) */
    int nout;
} sg__viz;

/* Member `key` of object `obj` (the last one, as json.loads keeps), or -1. */
SG__INTERNAL int sg__viz_member(const sg__json *J, int obj, const char *key) {
    int c, r = -1;
    if (obj < 0 || J->v[obj].type != SG__J_OBJ) return -1;
    for (c = J->v[obj].first; c >= 0; c = J->v[c].next)
        if (J->v[c].key && !strcmp(J->v[c].key, key)) r = c;
    return r;
}
/* String member of a node ("op", "name") or of its "attrs"; NULL if absent. */
SG__INTERNAL const char *sg__viz_str(const sg__viz *V, int obj, const char *key) {
    int c = sg__viz_member(&V->J, obj, key);
    return c >= 0 && V->J.v[c].type == SG__J_STR ? V->J.v[c].s : NULL;
}
SG__INTERNAL const char *sg__viz_attr(const sg__viz *V, int i, const char *key) {
    return sg__viz_str(V, sg__viz_member(&V->J, V->node[i], "attrs"), key);
}
SG__INTERNAL int sg__viz_is_var(const sg__viz *V, int i) {
    const char *op = sg__viz_str(V, V->node[i], "op");
    return !op || !strcmp(op, "null");
}
SG__INTERNAL int sg__viz_in_heads(const sg__viz *V, int id) {
    int k;
    for (k = 0; k < V->nheads; k++)
        if (V->heads[k] == id) return 1;
    return 0;
}
/* Python's int(str) for the decimal integers MXNet writes; 0 if malformed. */
SG__INTERNAL int sg__viz_int(const char *s, long long *out) {
    char *end;
    long long v;
    if (!s) return 0;
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (!*s) return 0;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (end == s || errno) return 0;
    while (*end == ' ' || *end == '\t' || *end == '\n') end++;
    if (*end) return 0;
    *out = v;
    return 1;
}
/* The digit runs of s (re.findall(r"\d+", s)) joined by "x" into b. */
SG__INTERNAL void sg__viz_digits(sg__buf *b, const char *s) {
    int first = 1;
    while (*s) {
        if (*s >= '0' && *s <= '9') {
            const char *st = s;
            while (*s >= '0' && *s <= '9') s++;
            if (!first) sg__buf_put(b, "x", 1);
            sg__buf_put(b, st, (size_t)(s - st));
            first = 0;
        } else s++;
    }
}
SG__INTERNAL int sg__viz_mul(long long a, long long b, long long *r) {
    if (a != 0 && b != 0) {
        long long aa = a < 0 ? -a : a, bb = b < 0 ? -b : b;
        if (aa > LLONG_MAX / bb) return 0;
    }
    *r = a * b;
    return 1;
}

SG__INTERNAL int sg__viz_cmp(const void *a, const void *b) {
    const sg__viz_ent *x = (const sg__viz_ent *)a, *y = (const sg__viz_ent *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}
/* shape_dict[key]: the index of the last output of that name, or -1. */
SG__INTERNAL int sg__viz_lookup(const sg__viz *V, const char *key) {
    int lo = 0, hi = V->nout, r = -1;
    while (lo < hi) {
        int mid = (lo + hi) / 2, c = strcmp(V->osorted[mid].name, key);
        if (c <= 0) { if (c == 0) r = V->osorted[mid].idx; lo = mid + 1; } else hi = mid;
    }
    return r;
}

SG__INTERNAL void sg__viz_free(sg__viz *V) {
    sg__json_free(&V->J);
    sg__free(V->node);
    sg__free(V->oshape);
    sg__free(V->otype);
    sg__free(V->osorted);
}

/* Parse tojson() of s and, when asked, infer the shapes / dtypes of its internals. */
SG__INTERNAL int sg__viz_open(sg__viz *V, sg_graph *g, const sg_symbol *s, const char *what, int nshapes,
                              const char *const *names, const sg_shape *shapes, int ntypes,
                              const char *const *tnames, const int *dtypes) {
    const char *json;
    char *saved, *mine;
    int st, root, nodes, c, k, hv;
    memset(V, 0, sizeof *V);
    V->g = g;
    if ((st = sg__check_sym(g, s, what)) != SG_OK) return st;
    if (nshapes < 0 || (nshapes > 0 && (!names || !shapes)) || ntypes < 0 || (ntypes > 0 && (!tnames || !dtypes)))
        return sg__seterr(g, SG_ERR_ARG, "%s: bad shape or dtype arguments", what);
    saved = g->json; /* keep the text of the caller's last sg_tojson valid */
    g->json = NULL;
    st = sg_tojson(g, s, &json);
    mine = g->json;
    g->json = saved;
    if (st != SG_OK) { sg__free(mine); return st; }
    root = sg__json_parse(&V->J, mine, strlen(mine));
    sg__free(mine);
    V->J.src = NULL;
    if (root < 0) return sg__seterr(g, SG_ERR_PARSE, "%s: %s", what, V->J.err);
    nodes = sg__viz_member(&V->J, root, "nodes");
    if (nodes < 0 || V->J.v[nodes].type != SG__J_ARR) return sg__seterr(g, SG_ERR_GRAPH, "%s: no nodes", what);
    V->nn = V->J.v[nodes].count;
    V->node = (int *)sg__calloc((size_t)V->nn + 1, sizeof(int));
    if (!V->node) return SG__NOMEM(g);
    for (k = 0, c = V->J.v[nodes].first; c >= 0; c = V->J.v[c].next) V->node[k++] = c;
    hv = sg__viz_member(&V->J, root, "heads");
    if (hv >= 0 && V->J.v[hv].type == SG__J_ARR && V->J.v[hv].first >= 0) {
        int e = V->J.v[hv].first;
        if (V->J.v[e].type == SG__J_ARR)
            for (c = V->J.v[e].first; c >= 0 && V->nheads < 3; c = V->J.v[c].next) V->heads[V->nheads++] = (int)V->J.v[c].i;
    }
    if (nshapes > 0 || ntypes > 0) {
        sg_symbol *in = sg_get_internals(g, s);
        if (!in) return g->status ? g->status : SG_ERR_GRAPH;
        if ((st = sg_list_outputs(g, in, &V->onames, &V->nout)) != SG_OK) return st;
        V->osorted = (sg__viz_ent *)sg__calloc((size_t)V->nout + 1, sizeof(sg__viz_ent));
        if (!V->osorted) return SG__NOMEM(g);
        for (k = 0; k < V->nout; k++) { V->osorted[k].name = V->onames[k]; V->osorted[k].idx = k; }
        qsort(V->osorted, (size_t)V->nout, sizeof(sg__viz_ent), sg__viz_cmp);
        if (nshapes > 0) {
            V->oshape = (sg_shape *)sg__calloc((size_t)V->nout + 1, sizeof(sg_shape));
            if (!V->oshape) return SG__NOMEM(g);
            st = sg_infer_shape(g, in, nshapes, names, shapes, 0, NULL, V->oshape, NULL);
            if (st == SG_ERR_INCOMPLETE) {
                char msg[SG__ERRLEN];
                snprintf(msg, sizeof msg, "%s", sg_graph_error(g));
                return sg__seterr(g, st, "%s: Input shape is incomplete: %.900s", what, msg);
            }
            if (st != SG_OK) return st;
            V->show_shape = 1;
        }
        if (ntypes > 0) {
            V->otype = (int *)sg__calloc((size_t)V->nout + 1, sizeof(int));
            if (!V->otype) return SG__NOMEM(g);
            st = sg_infer_type(g, in, ntypes, tnames, dtypes, 0, NULL, V->otype, NULL);
            if (st == SG_ERR_INCOMPLETE) {
                char msg[SG__ERRLEN];
                snprintf(msg, sizeof msg, "%s", sg_graph_error(g));
                return sg__seterr(g, st, "%s: Input type is incomplete: %.900s", what, msg);
            }
            if (st != SG_OK) return st;
            V->show_type = 1;
        }
    }
    return SG_OK;
}

/* "x".join(str(d) for d in shape[1:]) */
SG__INTERNAL void sg__viz_shape_tail(sg__buf *b, const sg_shape *sh) {
    int d;
    for (d = 1; d < sh->ndim; d++) sg__buf_printf(b, d > 1 ? "x%lld" : "%lld", (long long)sh->dims[d]);
}

/* print_row: append each field, cut the line to the stop, pad with spaces. */
SG__INTERNAL void sg__viz_row(sg__buf *out, const char *const *fields, const int *stops) {
    sg__buf line;
    int f;
    memset(&line, 0, sizeof line);
    for (f = 0; f < 4; f++) {
        size_t i;
        int chars = 0;
        sg__buf_puts(&line, fields[f]);
        if (line.oom) break;
        for (i = 0; i < line.n; i++) {
            if (((unsigned char)line.p[i] & 0xC0) == 0x80) continue;
            if (chars == stops[f]) { line.n = i; line.p[i] = 0; break; }
            chars++;
        }
        for (; chars < stops[f]; chars++) sg__buf_put(&line, " ", 1);
    }
    if (line.oom) out->oom = 1;
    else { sg__buf_put(out, line.p ? line.p : "", line.n); sg__buf_put(out, "\n", 1); }
    sg__free(line.p);
}

SG__DEF int sg_print_summary(sg_graph *g, const sg_symbol *s, int nshapes, const char *const *names,
                             const sg_shape *shapes, int line_length, char **text) {
    static const double pos[4] = {.44, .64, .74, 1.};
    static const char *const header[4] = {"Layer (type)", "Output Shape", "Param #", "Previous Layer"};
    sg__viz V;
    sg__buf out, f0, f1, tmp;
    int stops[4], st, i, k;
    long long total = 0;
    char num[32];
    if (text) *text = NULL;
    if (!text) return g ? sg__seterr(g, SG_ERR_ARG, "print_summary: NULL output pointer") : SG_ERR_ARG;
    if ((st = sg__viz_open(&V, g, s, "print_summary", nshapes, names, shapes, 0, NULL, NULL)) != SG_OK) {
        sg__viz_free(&V);
        return st;
    }
    if (line_length <= 0) line_length = 120;
    for (k = 0; k < 4; k++) stops[k] = (int)(line_length * pos[k]);
    memset(&out, 0, sizeof out);
    memset(&f0, 0, sizeof f0);
    memset(&f1, 0, sizeof f1);
    memset(&tmp, 0, sizeof tmp);
    for (k = 0; k < line_length; k++) sg__buf_put(&out, "_", 1);
    sg__buf_put(&out, "\n", 1);
    sg__viz_row(&out, header, stops);
    for (k = 0; k < line_length; k++) sg__buf_put(&out, "=", 1);
    sg__buf_put(&out, "\n", 1);
    for (i = 0; i < V.nn && st == SG_OK; i++) {
        int nd = V.node[i], isvar = sg__viz_is_var(&V, i), ins, c, npre = 0, first_pre = -1;
        const char *op = sg__viz_str(&V, nd, "op"), *name = sg__viz_str(&V, nd, "name");
        long long pf = 0, cur = 0, v1, v2;
        const char *fields[4];
        if (!op) op = "null";
        if (!name) name = "";
        if (isvar && i > 0) continue;
        f0.n = f1.n = 0;
        if (f1.p) f1.p[0] = 0;
        if (!isvar || sg__viz_in_heads(&V, i)) {
            if (V.show_shape) {
                int o;
                tmp.n = 0;
                sg__buf_puts(&tmp, name);
                if (!isvar) sg__buf_puts(&tmp, "_output");
                o = tmp.oom ? -1 : sg__viz_lookup(&V, tmp.p);
                if (o >= 0) sg__viz_shape_tail(&f1, &V.oshape[o]);
            }
        }
        /* print_layer_summary: the previous layers and their channels (pf) */
        ins = isvar ? -1 : sg__viz_member(&V.J, nd, "inputs");
        if (ins >= 0 && V.J.v[ins].type == SG__J_ARR) {
            for (c = V.J.v[ins].first; c >= 0; c = V.J.v[c].next) {
                int id = V.J.v[c].first >= 0 ? (int)V.J.v[V.J.v[c].first].i : -1;
                if (id < 0 || id >= V.nn) continue;
                if (!sg__viz_is_var(&V, id) || sg__viz_in_heads(&V, id)) {
                    if (first_pre < 0) first_pre = id;
                    npre++;
                    if (V.show_shape) {
                        const char *iname = sg__viz_str(&V, V.node[id], "name");
                        int o;
                        tmp.n = 0;
                        sg__buf_puts(&tmp, iname ? iname : "");
                        if (!sg__viz_is_var(&V, id)) sg__buf_puts(&tmp, "_output");
                        o = tmp.oom ? -1 : sg__viz_lookup(&V, tmp.p);
                        if (o >= 0) {
                            if (V.oshape[o].ndim < 2) {
                                st = sg__seterr(g, SG_ERR_SHAPE,
                                                "print_summary: node %s (%s): input %s has shape with no dim after "
                                                "the batch dim (MXNet raises IndexError)", name, op, tmp.p);
                                break;
                            }
                            pf += V.oshape[o].dims[1];
                        }
                    }
                }
            }
        }
        if (st != SG_OK) break;
        if (!strcmp(op, "Convolution") || !strcmp(op, "FullyConnected") || !strcmp(op, "Embedding")) {
            const char *nb = sg__viz_attr(&V, i, "no_bias");
            int bias = !(nb && !strcmp(nb, "True"));
            if (!strcmp(op, "Convolution")) {
                long long nf, ng = 1;
                const char *kern = sg__viz_attr(&V, i, "kernel"), *p;
                if (!sg__viz_int(sg__viz_attr(&V, i, "num_filter"), &nf) ||
                    (sg__viz_attr(&V, i, "num_group") && !sg__viz_int(sg__viz_attr(&V, i, "num_group"), &ng)) || ng == 0) {
                    st = sg__seterr(g, SG_ERR_PARAM, "print_summary: node %s (Convolution): bad num_filter or num_group", name);
                    break;
                }
                if (!sg__viz_mul(pf, nf, &cur)) { st = SG_ERR_OVERFLOW; break; }
                cur /= ng;
                for (p = kern ? kern : ""; *p;) {
                    if (*p >= '0' && *p <= '9') {
                        long long kv = 0;
                        while (*p >= '0' && *p <= '9') {
                            if (kv > (LLONG_MAX - 9) / 10) { st = SG_ERR_OVERFLOW; break; }
                            kv = kv * 10 + (*p++ - '0');
                        }
                        if (st != SG_OK || !sg__viz_mul(cur, kv, &cur)) { st = SG_ERR_OVERFLOW; break; }
                    } else p++;
                }
                if (st != SG_OK) break;
                if (bias) cur += nf;
            } else if (!strcmp(op, "FullyConnected")) {
                if (!sg__viz_int(sg__viz_attr(&V, i, "num_hidden"), &v1)) {
                    st = sg__seterr(g, SG_ERR_PARAM, "print_summary: node %s (FullyConnected): bad num_hidden", name);
                    break;
                }
                if (!sg__viz_mul(bias ? pf + 1 : pf, v1, &cur)) { st = SG_ERR_OVERFLOW; break; }
            } else {
                if (!sg__viz_int(sg__viz_attr(&V, i, "input_dim"), &v1) ||
                    !sg__viz_int(sg__viz_attr(&V, i, "output_dim"), &v2)) {
                    st = sg__seterr(g, SG_ERR_PARAM, "print_summary: node %s (Embedding): bad input_dim or output_dim", name);
                    break;
                }
                if (!sg__viz_mul(v1, v2, &cur)) { st = SG_ERR_OVERFLOW; break; }
            }
        } else if (!strcmp(op, "BatchNorm") && V.show_shape) {
            int o;
            tmp.n = 0;
            sg__buf_puts(&tmp, name);
            sg__buf_puts(&tmp, "_output");
            o = tmp.oom ? -1 : sg__viz_lookup(&V, tmp.p);
            if (o < 0 || V.oshape[o].ndim < 2) {
                st = sg__seterr(g, SG_ERR_SHAPE, "print_summary: node %s (BatchNorm): no channel dim for %s "
                                "(MXNet raises KeyError or IndexError)", name, tmp.p ? tmp.p : "");
                break;
            }
            cur = V.oshape[o].dims[1] * 2;
        }
        if (total > LLONG_MAX - cur) { st = SG_ERR_OVERFLOW; break; }
        total += cur;
        sg__buf_puts(&f0, name);
        sg__buf_puts(&f0, "(");
        sg__buf_puts(&f0, op);
        sg__buf_puts(&f0, ")");
        snprintf(num, sizeof num, "%lld", cur);
        fields[0] = f0.p ? f0.p : "";
        fields[1] = f1.p && f1.n ? f1.p : "";
        fields[2] = num;
        fields[3] = "";
        if (first_pre >= 0) {
            fields[3] = sg__viz_str(&V, V.node[first_pre], "name");
            if (!fields[3]) fields[3] = "";
        }
        if (f0.oom || f1.oom) { st = SG_ERR_NOMEM; break; }
        sg__viz_row(&out, fields, stops);
        if (npre > 1) {
            int seen = 0;
            for (c = V.J.v[ins].first; c >= 0; c = V.J.v[c].next) {
                int id = V.J.v[c].first >= 0 ? (int)V.J.v[V.J.v[c].first].i : -1;
                if (id < 0 || id >= V.nn) continue;
                if (!sg__viz_is_var(&V, id) || sg__viz_in_heads(&V, id)) {
                    if (seen++ == 0) continue;
                    fields[0] = fields[1] = fields[2] = "";
                    fields[3] = sg__viz_str(&V, V.node[id], "name");
                    if (!fields[3]) fields[3] = "";
                    sg__viz_row(&out, fields, stops);
                }
            }
        }
        for (k = 0; k < line_length; k++) sg__buf_put(&out, i == V.nn - 1 ? "=" : "_", 1);
        sg__buf_put(&out, "\n", 1);
    }
    if (st == SG_OK) {
        sg__buf_printf(&out, "Total params: %lld\n", total);
        for (k = 0; k < line_length; k++) sg__buf_put(&out, "_", 1);
        sg__buf_put(&out, "\n", 1);
    }
    sg__free(f0.p);
    sg__free(f1.p);
    sg__free(tmp.p);
    sg__viz_free(&V);
    if (st == SG_OK && out.oom) st = SG__NOMEM(g);
    if (st != SG_OK) {
        if (st == SG_ERR_OVERFLOW && g->status != SG_ERR_OVERFLOW)
            sg__seterr(g, st, "print_summary: a parameter count does not fit in int64");
        else if (st == SG_ERR_NOMEM) SG__NOMEM(g);
        sg__free(out.p);
        return st;
    }
    *text = out.p;
    return SG_OK;
}

SG__INTERNAL int sg__viz_isdigit(char c) { return c >= '0' && c <= '9'; }
SG__INTERNAL int sg__viz_isidstart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
/* graphviz.lang.quote (graphviz 0.8): bare when an ID or a number (a '$' match,
 * so one trailing newline is allowed), or '<...>' (an HTML label); otherwise in
 * double quotes with '"' escaped; the DOT keywords are always quoted. */
SG__INTERNAL void sg__viz_quote(sg__buf *b, const char *s) {
    static const char *const kw[6] = {"node", "edge", "graph", "digraph", "subgraph", "strict"};
    size_t n = strlen(s), m = n, i;
    int valid = 0, k;
    if (m > 0 && s[m - 1] == '\n') m--;
    if (n >= 2 && s[0] == '<' && (s[n - 1] == '>' || (n >= 3 && s[n - 1] == '\n' && s[n - 2] == '>'))) {
        sg__buf_puts(b, s);
        return;
    }
    if (m > 0 && sg__viz_isidstart(s[0])) {
        valid = 1;
        for (i = 1; i < m; i++)
            if (!sg__viz_isidstart(s[i]) && !sg__viz_isdigit(s[i])) valid = 0;
    } else if (m > 0) { /* -?(\.\d+|\d+(\.\d*)?) */
        i = s[0] == '-' ? 1 : 0;
        if (i < m && s[i] == '.') {
            i++;
            valid = i < m;
            for (; i < m; i++) if (!sg__viz_isdigit(s[i])) valid = 0;
        } else if (i < m && sg__viz_isdigit(s[i])) {
            valid = 1;
            while (i < m && sg__viz_isdigit(s[i])) i++;
            if (i < m && s[i] == '.') i++;
            for (; i < m; i++) if (!sg__viz_isdigit(s[i])) valid = 0;
        }
    }
    if (valid)
        for (k = 0; k < 6; k++) {
            size_t j, kl = strlen(kw[k]);
            if (kl != n) continue;
            for (j = 0; j < kl && (s[j] >= 'A' && s[j] <= 'Z' ? s[j] - 'A' + 'a' : s[j]) == kw[k][j]; j++) {}
            if (j == kl) valid = 0;
        }
    if (valid) { sg__buf_puts(b, s); return; }
    sg__buf_put(b, "\"", 1);
    for (i = 0; i < n; i++) {
        if (s[i] == '"') sg__buf_put(b, "\\\"", 2);
        else sg__buf_put(b, s + i, 1);
    }
    sg__buf_put(b, "\"", 1);
}
/* graphviz.lang.quote_edge: node[:port[:compass]], each part quoted apart. */
SG__INTERNAL void sg__viz_quote_edge(sg__buf *b, const char *s) {
    const char *c1 = strchr(s, ':');
    char *part;
    if (!c1) { sg__viz_quote(b, s); return; }
    part = sg__strndup(s, (size_t)(c1 - s));
    if (!part) { b->oom = 1; return; }
    sg__viz_quote(b, part);
    sg__free(part);
    if (c1[1]) {
        const char *c2 = strchr(c1 + 1, ':');
        part = c2 ? sg__strndup(c1 + 1, (size_t)(c2 - c1 - 1)) : sg__strdup(c1 + 1);
        if (!part) { b->oom = 1; return; }
        sg__buf_put(b, ":", 1);
        sg__viz_quote(b, part);
        sg__free(part);
        if (c2 && c2[1]) { sg__buf_put(b, ":", 1); sg__buf_puts(b, c2 + 1); }
    }
}
SG__INTERNAL int sg__viz_weight_like(const char *name) {
    static const char *const suf[8] = {"_weight", "_bias", "_beta", "_gamma", "_moving_var", "_moving_mean",
                                       "_running_var", "_running_mean"};
    size_t n = strlen(name), l;
    int k;
    for (k = 0; k < 8; k++) {
        l = strlen(suf[k]);
        if (n >= l && !strcmp(name + n - l, suf[k])) return 1;
    }
    return 0;
}
SG__INTERNAL int sg__viz_strcmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}
/* numpy's type __name__ of a dtype code (dtype.__name__ in plot_network) */
SG__INTERNAL const char *sg__viz_np_type(int dt) {
    if (dt == SG_BOOL) return "bool_";
    return sg_dtype_name(dt) ? sg_dtype_name(dt) : "unknown";
}

SG__DEF int sg_plot_network(sg_graph *g, const sg_symbol *s, const char *title, int nshapes,
                            const char *const *names, const sg_shape *shapes, int ntypes,
                            const char *const *type_names, const int *dtypes, const char *const *node_attrs,
                            int hide_weights, char **dot) {
    static const char *const cm[8] = {"#8dd3c7", "#fb8072", "#ffffb3", "#bebada", "#80b1d3",
                                      "#fdb462", "#b3de69", "#fccde5"};
    sg__viz V;
    sg__buf out, lab, key;
    sg__attrs attr, base;
    const char **hidden = NULL;
    int nhidden = 0, st, i, k;
    if (dot) *dot = NULL;
    if (!dot) return g ? sg__seterr(g, SG_ERR_ARG, "plot_network: NULL output pointer") : SG_ERR_ARG;
    if ((st = sg__viz_open(&V, g, s, "plot_network", nshapes, names, shapes, ntypes, type_names, dtypes)) != SG_OK) {
        sg__viz_free(&V);
        return st;
    }
    memset(&out, 0, sizeof out);
    memset(&lab, 0, sizeof lab);
    memset(&key, 0, sizeof key);
    memset(&attr, 0, sizeof attr);
    memset(&base, 0, sizeof base);
    if (!sg__attrs_set(&base, "shape", "box") || !sg__attrs_set(&base, "fixedsize", "true") ||
        !sg__attrs_set(&base, "width", "1.3") || !sg__attrs_set(&base, "height", "0.8034") ||
        !sg__attrs_set(&base, "style", "filled"))
        st = SG_ERR_NOMEM;
    for (k = 0; st == SG_OK && node_attrs && node_attrs[k]; k += 2) {
        if (!node_attrs[k + 1]) { st = sg__seterr(g, SG_ERR_ARG, "plot_network: node_attrs has a key without a value"); break; }
        if (!strcmp(node_attrs[k], "label") || !strcmp(node_attrs[k], "name")) {
            st = sg__seterr(g, SG_ERR_ARG, "plot_network: node_attrs may not set '%s' (Python: TypeError)", node_attrs[k]);
            break;
        }
        if (!sg__attrs_set(&base, node_attrs[k], node_attrs[k + 1])) st = SG_ERR_NOMEM;
    }
    hidden = (const char **)sg__calloc((size_t)V.nn + 1, sizeof(char *));
    if (!hidden) st = SG_ERR_NOMEM;
    if (st == SG_OK) {
        sg__buf_puts(&out, "digraph ");
        if (!title) title = "plot";
        if (*title) { sg__viz_quote(&out, title); sg__buf_put(&out, " ", 1); }
        sg__buf_put(&out, "{", 1);
    }
    /* nodes */
    for (i = 0; st == SG_OK && i < V.nn; i++) {
        int nd = V.node[i];
        const char *op = sg__viz_str(&V, nd, "op"), *name = sg__viz_str(&V, nd, "name"), *a, *fill;
        if (!op) op = "null";
        if (!name) name = "";
        sg__attrs_clear(&attr);
        if (!sg__attrs_copy(&attr, &base)) { st = SG_ERR_NOMEM; break; }
        lab.n = 0;
        if (lab.p) lab.p[0] = 0;
        fill = cm[7];
        if (!strcmp(op, "null")) {
            if (sg__viz_weight_like(name)) {
                if (hide_weights) hidden[nhidden++] = name;
                continue;
            }
            if (!sg__attrs_set(&attr, "shape", "oval")) { st = SG_ERR_NOMEM; break; }
            sg__buf_puts(&lab, name);
            fill = cm[0];
        } else if (!strcmp(op, "Convolution")) {
            sg__buf_puts(&lab, "Convolution\n");
            sg__viz_digits(&lab, (a = sg__viz_attr(&V, i, "kernel")) ? a : "");
            sg__buf_put(&lab, "/", 1);
            if ((a = sg__viz_attr(&V, i, "stride")) != NULL) sg__viz_digits(&lab, a);
            else sg__buf_put(&lab, "1", 1);
            sg__buf_puts(&lab, ", ");
            sg__buf_puts(&lab, (a = sg__viz_attr(&V, i, "num_filter")) ? a : "");
            fill = cm[1];
        } else if (!strcmp(op, "FullyConnected")) {
            sg__buf_puts(&lab, "FullyConnected\n");
            sg__buf_puts(&lab, (a = sg__viz_attr(&V, i, "num_hidden")) ? a : "");
            fill = cm[1];
        } else if (!strcmp(op, "BatchNorm")) {
            sg__buf_puts(&lab, name);
            fill = cm[3];
        } else if (!strcmp(op, "Activation") || !strcmp(op, "LeakyReLU")) {
            int leaky = op[0] == 'L';
            a = sg__viz_attr(&V, i, "act_type");
            sg__buf_puts(&lab, op);
            sg__buf_put(&lab, "\n", 1);
            sg__buf_puts(&lab, a ? a : leaky ? "Leaky" : "");
            fill = cm[2];
        } else if (!strcmp(op, "Pooling")) {
            sg__buf_puts(&lab, "Pooling\n");
            sg__buf_puts(&lab, (a = sg__viz_attr(&V, i, "pool_type")) ? a : "max");
            sg__buf_puts(&lab, ", ");
            if ((a = sg__viz_attr(&V, i, "kernel")) != NULL) sg__viz_digits(&lab, a);
            else sg__buf_puts(&lab, "[]");
            sg__buf_put(&lab, "/", 1);
            if ((a = sg__viz_attr(&V, i, "stride")) != NULL) sg__viz_digits(&lab, a);
            else sg__buf_put(&lab, "1", 1);
            fill = cm[4];
        } else if (!strcmp(op, "Concat") || !strcmp(op, "Flatten") || !strcmp(op, "Reshape")) {
            sg__buf_puts(&lab, name);
            fill = cm[5];
        } else if (!strcmp(op, "Softmax")) {
            sg__buf_puts(&lab, name);
            fill = cm[6];
        } else {
            a = !strcmp(op, "Custom") ? sg__viz_attr(&V, i, "op_type") : NULL;
            sg__buf_puts(&lab, a ? a : name);
        }
        if (!sg__attrs_set(&attr, "fillcolor", fill)) { st = SG_ERR_NOMEM; break; }
        sg__buf_puts(&out, "\n\t");
        sg__viz_quote(&out, name);
        sg__buf_puts(&out, " [label=");
        sg__viz_quote(&out, lab.p ? lab.p : "");
        for (k = 0; k < attr.n; k++) {
            sg__buf_put(&out, " ", 1);
            sg__viz_quote(&out, attr.kv[k].k);
            sg__buf_put(&out, "=", 1);
            sg__viz_quote(&out, attr.kv[k].v);
        }
        sg__buf_put(&out, "]", 1);
    }
    if (st == SG_OK) qsort(hidden, (size_t)nhidden, sizeof(char *), sg__viz_strcmp);
    /* edges */
    for (i = 0; st == SG_OK && i < V.nn; i++) {
        int nd = V.node[i], ins, c;
        const char *op = sg__viz_str(&V, nd, "op"), *name = sg__viz_str(&V, nd, "name");
        if (!op || !strcmp(op, "null")) continue;
        if (!name) name = "";
        ins = sg__viz_member(&V.J, nd, "inputs");
        if (ins < 0 || V.J.v[ins].type != SG__J_ARR) continue;
        for (c = V.J.v[ins].first; c >= 0 && st == SG_OK; c = V.J.v[c].next) {
            int id = V.J.v[c].first >= 0 ? (int)V.J.v[V.J.v[c].first].i : -1, ivar, o = -1;
            const char *iname;
            if (id < 0 || id >= V.nn) continue;
            iname = sg__viz_str(&V, V.node[id], "name");
            if (!iname) iname = "";
            if (nhidden && bsearch(&iname, hidden, (size_t)nhidden, sizeof(char *), sg__viz_strcmp)) {
                if (!strcmp(op, "_contrib_BilinearResize2D")) break;
                continue;
            }
            ivar = sg__viz_is_var(&V, id);
            lab.n = 0;
            if (lab.p) lab.p[0] = 0;
            if (V.show_shape || V.show_type) {
                const char *no = ivar ? NULL : sg__viz_attr(&V, id, "num_outputs");
                key.n = 0;
                sg__buf_puts(&key, iname);
                if (!ivar) {
                    sg__buf_puts(&key, "_output");
                    if (no) {
                        long long nov;
                        if (!sg__viz_int(no, &nov)) {
                            st = sg__seterr(g, SG_ERR_PARAM, "plot_network: node %s: bad num_outputs '%s'", iname, no);
                            break;
                        }
                        sg__buf_printf(&key, "%lld", nov - 1);
                    }
                }
                o = key.oom ? -1 : sg__viz_lookup(&V, key.p);
                if (o < 0) {
                    st = key.oom ? SG_ERR_NOMEM
                                 : sg__seterr(g, SG_ERR_GRAPH, "plot_network: no output named %s for the edge %s -> %s "
                                              "(MXNet raises KeyError)", key.p, name, iname);
                    break;
                }
                if (V.show_shape) sg__viz_shape_tail(&lab, &V.oshape[o]);
                if (V.show_type) {
                    sg__buf_put(&lab, "(", 1);
                    sg__buf_puts(&lab, sg__viz_np_type(V.otype[o]));
                    sg__buf_put(&lab, ")", 1);
                }
            }
            sg__buf_puts(&out, "\n\t");
            sg__viz_quote_edge(&out, name);
            sg__buf_puts(&out, " -> ");
            sg__viz_quote_edge(&out, iname);
            sg__buf_puts(&out, " [label=");
            sg__viz_quote(&out, lab.p ? lab.p : "");
            sg__buf_puts(&out, " arrowtail=open dir=back]");
            if (!strcmp(op, "_contrib_BilinearResize2D")) break; /* inputs = [inputs[0]] */
        }
    }
    if (st == SG_OK) sg__buf_puts(&out, "\n}");
    sg__attrs_clear(&attr);
    sg__attrs_clear(&base);
    sg__free(hidden);
    sg__free(lab.p);
    sg__free(key.p);
    sg__viz_free(&V);
    if (st == SG_OK && (out.oom || lab.oom || key.oom)) st = SG_ERR_NOMEM;
    if (st != SG_OK) {
        if (st == SG_ERR_NOMEM) SG__NOMEM(g);
        sg__free(out.p);
        return st;
    }
    *dot = out.p;
    return SG_OK;
}

#endif /* SYMGRAPH_IMPLEMENTATION_DONE */
#endif /* SYMGRAPH_IMPLEMENTATION */

/*
------------------------------------------------------------------------------
MIT License

Copyright (c) 2026 the symgraph authors

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
------------------------------------------------------------------------------
*/
