/* The blind indexes of a chunk of an import's rows, in one call (rouei/people/preparing.py).
 *
 * For each row, the keys ``registry.lookup_values`` forms from its normalised values, in the same
 * order, each as (kind, (digest,)) where digest is HMAC-SHA256(index key, kind "\x1f" value)
 * truncated to 16 bytes (``rouei.core.crypto.blind_index``). The row's values come as columns
 * (lists of str or None; phones a tuple of str per row), already normalised and deduplicated by
 * the caller: this file only forms the messages and hashes them, which in Python cost more in
 * the glue around ``hashlib`` than in the hashing. tests/people/test_prepare_chunk.py compares
 * every key with the pure-Python path.
 *
 * HMAC-SHA256 is OpenSSL's (libcrypto, the library Python's hashlib and hmac use), not written
 * out here: it picks the CPU's SHA instructions itself. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define DIGEST_BYTES 16

/* HMAC-SHA256 through OpenSSL's EVP_MAC: the key is set once per call (its padded blocks hashed
 * there); each message re-initialises the one context with no key, which keeps that key
 * (EVP_MAC_init; OpenSSL PR 18100). Measured faster than a context duplicated per message
 * (EVP_MAC_CTX_dup allocates) or the deprecated HMAC_CTX_copy: docs/benchmarks.md. */
typedef struct {
    EVP_MAC *mac;
    EVP_MAC_CTX *keyed;
} hmac_key;

static void hmac_free(hmac_key *key) {
    EVP_MAC_CTX_free(key->keyed);
    EVP_MAC_free(key->mac);
}

static int openssl_error(const char *what) {
    PyErr_Format(PyExc_RuntimeError, "OpenSSL HMAC-SHA256: %s failed", what);
    return -1;
}

static int hmac_setup(hmac_key *key, const uint8_t *raw, size_t n) {
    key->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    key->keyed = key->mac ? EVP_MAC_CTX_new(key->mac) : NULL;
    if (key->keyed == NULL) {
        hmac_free(key);
        return openssl_error("EVP_MAC_fetch");
    }
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                           OSSL_PARAM_construct_end()};
    if (!EVP_MAC_init(key->keyed, raw, n, params)) {
        hmac_free(key);
        return openssl_error("EVP_MAC_init");
    }
    return 0;
}

/* HMAC of the concatenated parts into mac (32 bytes); -1 with an exception set on an error. */
static int hmac_parts(const hmac_key *key, const uint8_t *const *parts, const size_t *sizes,
                      int count, uint8_t mac[32]) {
    EVP_MAC_CTX *ctx = key->keyed;
    if (!EVP_MAC_init(ctx, NULL, 0, NULL)) return openssl_error("EVP_MAC_init");
    size_t written = 0;
    int ok = 1;
    for (int i = 0; ok && i < count; i++) ok = EVP_MAC_update(ctx, parts[i], sizes[i]);
    ok = ok && EVP_MAC_final(ctx, mac, &written, 32) && written == 32;
    return ok ? 0 : openssl_error("EVP_MAC_update/final");
}

typedef struct {
    const char *text;
    Py_ssize_t size;
} part;

/* (kind, (digest,)) for the message kind "\x1f" first ["|" second]. */
static PyObject *key_entry(const hmac_key *key, PyObject *kind, part first, const part *second) {
    Py_ssize_t kind_size;
    const char *kind_text = PyUnicode_AsUTF8AndSize(kind, &kind_size);
    if (kind_text == NULL) return NULL;
    uint8_t mac[32];
    const uint8_t *parts[5] = {(const uint8_t *)kind_text, (const uint8_t *)"\x1f",
                               (const uint8_t *)first.text, (const uint8_t *)"|",
                               second ? (const uint8_t *)second->text : NULL};
    size_t sizes[5] = {(size_t)kind_size, 1, (size_t)first.size, 1,
                       second ? (size_t)second->size : 0};
    if (hmac_parts(key, parts, sizes, second ? 5 : 3, mac)) return NULL;
    PyObject *digest = PyBytes_FromStringAndSize((const char *)mac, DIGEST_BYTES);
    if (digest == NULL) return NULL;
    PyObject *digests = PyTuple_Pack(1, digest);
    Py_DECREF(digest);
    if (digests == NULL) return NULL;
    PyObject *entry = PyTuple_Pack(2, kind, digests);
    Py_DECREF(digests);
    return entry;
}

/* The UTF-8 of a column's cell: 0 with *out set (size -1 for None), -1 on an error. */
static int cell(PyObject *column, Py_ssize_t row, part *out) {
    PyObject *value = PyList_GET_ITEM(column, row);
    if (value == Py_None) {
        out->text = NULL;
        out->size = -1;
        return 0;
    }
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "a key value must be str or None");
        return -1;
    }
    out->text = PyUnicode_AsUTF8AndSize(value, &out->size);
    return out->text ? 0 : -1;
}

enum { REF, PHONES, EMAIL, NAME, BIRTH, ADDRESS, PLACE, KANA, COLUMNS };
static PyObject *kinds[9];
enum { K_REF, K_PHONE, K_EMAIL, K_NAME_BIRTH, K_NAME_PHONE, K_NAME_EMAIL, K_NAME_ADDRESS,
       K_NAME_PLACE, K_KANA_BIRTH };
static const char *kind_names[9] = {"ref", "phone", "email", "name_birth", "name_phone",
                                    "name_email", "name_address", "name_place", "kana_birth"};

#define PUSH(entry_expr)                                   \
    do {                                                   \
        PyObject *entry_ = (entry_expr);                   \
        if (entry_ == NULL || PyList_Append(keys, entry_)) { \
            Py_XDECREF(entry_);                            \
            goto fail;                                     \
        }                                                  \
        Py_DECREF(entry_);                                 \
    } while (0)

static PyObject *row_keys(const hmac_key *key, PyObject **columns, Py_ssize_t row) {
    part value[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
        if (c == PHONES) continue;
        if (cell(columns[c], row, &value[c])) return NULL;
    }
    PyObject *phones = PyList_GET_ITEM(columns[PHONES], row);
    if (!PyTuple_Check(phones)) {
        PyErr_SetString(PyExc_TypeError, "a row's phones must be a tuple");
        return NULL;
    }
    Py_ssize_t phone_count = PyTuple_GET_SIZE(phones);
    part phone[8];
    if (phone_count > 8) {
        PyErr_SetString(PyExc_ValueError, "more than 8 phones in a row");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < phone_count; i++) {
        PyObject *p = PyTuple_GET_ITEM(phones, i);
        if (!PyUnicode_Check(p)) {
            PyErr_SetString(PyExc_TypeError, "a phone must be str");
            return NULL;
        }
        phone[i].text = PyUnicode_AsUTF8AndSize(p, &phone[i].size);
        if (phone[i].text == NULL) return NULL;
    }
    PyObject *keys = PyList_New(0);
    if (keys == NULL) return NULL;
    if (value[REF].size >= 0) PUSH(key_entry(key, kinds[K_REF], value[REF], NULL));
    for (Py_ssize_t i = 0; i < phone_count; i++)
        PUSH(key_entry(key, kinds[K_PHONE], phone[i], NULL));
    if (value[EMAIL].size >= 0) PUSH(key_entry(key, kinds[K_EMAIL], value[EMAIL], NULL));
    if (value[NAME].size >= 0) {
        part name = value[NAME];
        if (value[BIRTH].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_BIRTH], name, &value[BIRTH]));
        for (Py_ssize_t i = 0; i < phone_count; i++)
            PUSH(key_entry(key, kinds[K_NAME_PHONE], name, &phone[i]));
        if (value[EMAIL].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_EMAIL], name, &value[EMAIL]));
        if (value[ADDRESS].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_ADDRESS], name, &value[ADDRESS]));
        if (value[PLACE].size >= 0)
            PUSH(key_entry(key, kinds[K_NAME_PLACE], name, &value[PLACE]));
    }
    if (value[KANA].size >= 0 && value[BIRTH].size >= 0)
        PUSH(key_entry(key, kinds[K_KANA_BIRTH], value[KANA], &value[BIRTH]));
    PyObject *result = PyList_AsTuple(keys);
    Py_DECREF(keys);
    return result;
fail:
    Py_DECREF(keys);
    return NULL;
}

static PyObject *chunk_keys(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer raw_key;
    PyObject *columns[COLUMNS];
    if (!PyArg_ParseTuple(args, "y*O!O!O!O!O!O!O!O!:chunk_keys", &raw_key,
                          &PyList_Type, &columns[REF], &PyList_Type, &columns[PHONES],
                          &PyList_Type, &columns[EMAIL], &PyList_Type, &columns[NAME],
                          &PyList_Type, &columns[BIRTH], &PyList_Type, &columns[ADDRESS],
                          &PyList_Type, &columns[PLACE], &PyList_Type, &columns[KANA]))
        return NULL;
    Py_ssize_t rows = PyList_GET_SIZE(columns[REF]);
    for (int c = 1; c < COLUMNS; c++) {
        if (PyList_GET_SIZE(columns[c]) != rows) {
            PyBuffer_Release(&raw_key);
            PyErr_SetString(PyExc_ValueError, "the columns differ in length");
            return NULL;
        }
    }
    hmac_key key;
    int failed = hmac_setup(&key, raw_key.buf, (size_t)raw_key.len);
    PyBuffer_Release(&raw_key);
    if (failed) return NULL;
    PyObject *out = PyList_New(rows);
    for (Py_ssize_t row = 0; out != NULL && row < rows; row++) {
        PyObject *keys = row_keys(&key, columns, row);
        if (keys == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, row, keys);
    }
    hmac_free(&key);
    return out;
}

static PyObject *digest(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer raw_key, message;
    if (!PyArg_ParseTuple(args, "y*y*:digest", &raw_key, &message)) return NULL;
    hmac_key key;
    uint8_t mac[32];
    const uint8_t *parts[1] = {message.buf};
    size_t sizes[1] = {(size_t)message.len};
    int failed = hmac_setup(&key, raw_key.buf, (size_t)raw_key.len);
    if (!failed) {
        failed = hmac_parts(&key, parts, sizes, 1, mac);
        hmac_free(&key);
    }
    PyBuffer_Release(&raw_key);
    PyBuffer_Release(&message);
    return failed ? NULL : PyBytes_FromStringAndSize((const char *)mac, 32);
}

static PyMethodDef methods[] = {
    {"chunk_keys", chunk_keys, METH_VARARGS,
     "chunk_keys(index_key, refs, phones, emails, names, births, addresses, places, kanas) -> "
     "a tuple of (kind, (digest,)) per row, as registry.lookup_values orders them"},
    {"digest", digest, METH_VARARGS, "digest(key, message) -> HMAC-SHA256 (32 bytes)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rowkeys", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__rowkeys(void) {
    for (int i = 0; i < 9; i++) {
        kinds[i] = PyUnicode_InternFromString(kind_names[i]);
        if (kinds[i] == NULL) return NULL;
    }
    return PyModule_Create(&module);
}
