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
 * HMAC-SHA256 is OpenSSL's (libcrypto's EVP_MAC, the library Python's hashlib and hmac use), not
 * written out here: it picks the CPU's SHA instructions itself; the key's states are made once a
 * call (``hmac_setup``). The hashing runs with the GIL released,
 * so that the importing thread's Python runs meanwhile on the other core.
 *
 * Besides (below): ``seal_records``, a chunk's records sealed as ``crypto.seal`` seals them
 * (OpenSSL's AES-256-GCM), and ``phones_column``, a column's ASCII phones normalised. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define DIGEST_BYTES 16

/* HMAC-SHA256 through OpenSSL's EVP_MAC (the construction is OpenSSL's, not this file's): the key
 * is set once per call, which hashes its padded blocks there; each message re-initialises that
 * one context with no key, which keeps the key's states (EVP_MAC_init(3): "If key is NULL, the
 * key ... from the previous call is reused"). Measured against a context duplicated per message
 * (EVP_MAC_CTX_dup, which allocates the HMAC's three digest contexts a message):
 * docs/benchmarks.md, session 16. The context is used by one thread at a time (the caller's). */
typedef struct {
    EVP_MAC_CTX *keyed;
} hmac_key;

/* OpenSSL's HMAC, fetched once when the module loads (a fetch takes the provider store's lock). */
static EVP_MAC *hmac_algorithm;

static void hmac_free(hmac_key *key) {
    EVP_MAC_CTX_free(key->keyed); /* frees the HMAC's digest contexts cleansed */
    key->keyed = NULL;
}

static int openssl_error(const char *what) {
    PyErr_Format(PyExc_RuntimeError, "OpenSSL HMAC-SHA256: %s failed", what);
    return -1;
}

static int hmac_setup(hmac_key *key, const uint8_t *raw, size_t n) {
    key->keyed = EVP_MAC_CTX_new(hmac_algorithm);
    if (key->keyed == NULL) return openssl_error("EVP_MAC_CTX_new");
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                           OSSL_PARAM_construct_end()};
    /* a key of no bytes is still a key: EVP_MAC_init's NULL would mean "the previous one" */
    static const uint8_t no_bytes[1] = {0};
    if (!EVP_MAC_init(key->keyed, n ? raw : no_bytes, n, params)) {
        hmac_free(key);
        return openssl_error("EVP_MAC_init");
    }
    return 0;
}

/* Parts up to this many bytes in all are joined before hashing: one EVP_MAC_update (each call
 * goes through the provider twice, the HMAC's and the digest's) instead of one a part. */
#define JOINED_BYTES 512

/* HMAC of the concatenated parts into mac (32 bytes); 0, or -1 on an OpenSSL error (no
 * exception set: called without the GIL too). */
static int hmac_parts_raw(const hmac_key *key, const uint8_t *const *parts, const size_t *sizes,
                          int count, uint8_t mac[32]) {
    EVP_MAC_CTX *ctx = key->keyed;
    if (!EVP_MAC_init(ctx, NULL, 0, NULL)) return -1;
    size_t total = 0;
    for (int i = 0; i < count; i++) total += sizes[i];
    int ok = 1;
    if (count > 1 && total <= JOINED_BYTES) {
        uint8_t joined[JOINED_BYTES];
        size_t at = 0;
        for (int i = 0; i < count; i++) {
            if (sizes[i]) memcpy(joined + at, parts[i], sizes[i]);
            at += sizes[i];
        }
        ok = EVP_MAC_update(ctx, joined, total);
    } else {
        for (int i = 0; ok && i < count; i++) ok = EVP_MAC_update(ctx, parts[i], sizes[i]);
    }
    size_t written = 0;
    return ok && EVP_MAC_final(ctx, mac, &written, 32) && written == 32 ? 0 : -1;
}

/* ``hmac_parts_raw`` with an exception set on an error. */
static int hmac_parts(const hmac_key *key, const uint8_t *const *parts, const size_t *sizes,
                      int count, uint8_t mac[32]) {
    return hmac_parts_raw(key, parts, sizes, count, mac) ? openssl_error("EVP_MAC_update/final")
                                                         : 0;
}

typedef struct {
    const char *text;
    Py_ssize_t size;
} part;

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

/* A key's message: kind "\x1f" first ["|" second]. */
typedef struct {
    int kind;
    part first, second; /* second.size -1: none */
} message;

#define MAX_ROW_KEYS (1 + 8 + 1 + 1 + 8 + 1 + 1 + 1 + 1)

/* The messages of a row's keys, in ``registry.lookup_values``' order, into out (MAX_ROW_KEYS);
 * their number, -1 with an exception set. */
static int row_messages(PyObject **columns, Py_ssize_t row, message *out) {
    part value[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
        if (c == PHONES) continue;
        if (cell(columns[c], row, &value[c])) return -1;
    }
    PyObject *phones = PyList_GET_ITEM(columns[PHONES], row);
    if (!PyTuple_Check(phones)) {
        PyErr_SetString(PyExc_TypeError, "a row's phones must be a tuple");
        return -1;
    }
    Py_ssize_t phone_count = PyTuple_GET_SIZE(phones);
    part phone[8];
    if (phone_count > 8) {
        PyErr_SetString(PyExc_ValueError, "more than 8 phones in a row");
        return -1;
    }
    for (Py_ssize_t i = 0; i < phone_count; i++) {
        PyObject *p = PyTuple_GET_ITEM(phones, i);
        if (!PyUnicode_Check(p)) {
            PyErr_SetString(PyExc_TypeError, "a phone must be str");
            return -1;
        }
        phone[i].text = PyUnicode_AsUTF8AndSize(p, &phone[i].size);
        if (phone[i].text == NULL) return -1;
    }
    const part none = {NULL, -1};
    int n = 0;
#define MESSAGE(kind_, first_, second_) \
    do {                                \
        out[n].kind = (kind_);          \
        out[n].first = (first_);        \
        out[n].second = (second_);      \
        n++;                            \
    } while (0)
    if (value[REF].size >= 0) MESSAGE(K_REF, value[REF], none);
    for (Py_ssize_t i = 0; i < phone_count; i++) MESSAGE(K_PHONE, phone[i], none);
    if (value[EMAIL].size >= 0) MESSAGE(K_EMAIL, value[EMAIL], none);
    if (value[NAME].size >= 0) {
        part name = value[NAME];
        if (value[BIRTH].size >= 0) MESSAGE(K_NAME_BIRTH, name, value[BIRTH]);
        for (Py_ssize_t i = 0; i < phone_count; i++) MESSAGE(K_NAME_PHONE, name, phone[i]);
        if (value[EMAIL].size >= 0) MESSAGE(K_NAME_EMAIL, name, value[EMAIL]);
        if (value[ADDRESS].size >= 0) MESSAGE(K_NAME_ADDRESS, name, value[ADDRESS]);
        if (value[PLACE].size >= 0) MESSAGE(K_NAME_PLACE, name, value[PLACE]);
    }
    if (value[KANA].size >= 0 && value[BIRTH].size >= 0)
        MESSAGE(K_KANA_BIRTH, value[KANA], value[BIRTH]);
#undef MESSAGE
    return n;
}

/* The HMAC of a message (truncated to DIGEST_BYTES) into digest; -1 on an OpenSSL error (no
 * exception set: called without the GIL). */
static int message_digest(const hmac_key *key, const message *m, uint8_t *digest) {
    const char *kind = kind_names[m->kind];
    const uint8_t *parts[5] = {(const uint8_t *)kind, (const uint8_t *)"\x1f",
                               (const uint8_t *)m->first.text, (const uint8_t *)"|",
                               (const uint8_t *)m->second.text};
    size_t sizes[5] = {strlen(kind), 1, (size_t)m->first.size, 1,
                       m->second.size >= 0 ? (size_t)m->second.size : 0};
    int count = m->second.size >= 0 ? 5 : 3;
    uint8_t mac[32];
    if (hmac_parts_raw(key, parts, sizes, count, mac)) return -1;
    memcpy(digest, mac, DIGEST_BYTES);
    return 0;
}

static int is_merge_kind(int kind) {
    return kind == K_NAME_BIRTH || kind == K_NAME_PHONE || kind == K_NAME_EMAIL ||
           kind == K_NAME_ADDRESS;
}

/* ``chunk_keys``' result as arrays, not a Python object a key: (the keys' kind codes, a byte
 * each, their index in ``KINDS``; their digests end to end; each row's first key's place and
 * after the last row the number of keys, as native int64; [each row's merge digests end to end]
 * with merges). */
static PyObject *key_arrays(const message *messages, const Py_ssize_t *ends,
                            const uint8_t *digests, Py_ssize_t rows, Py_ssize_t total,
                            int with_merges) {
    PyObject *codes = PyBytes_FromStringAndSize(NULL, total);
    PyObject *blob = PyBytes_FromStringAndSize((const char *)digests, total * DIGEST_BYTES);
    PyObject *starts = PyBytes_FromStringAndSize(NULL, (rows + 1) * (Py_ssize_t)sizeof(int64_t));
    PyObject *merges = with_merges ? PyList_New(rows) : NULL;
    PyObject *out = NULL;
    if (codes == NULL || blob == NULL || starts == NULL || (with_merges && merges == NULL))
        goto fail;
    char *code = PyBytes_AS_STRING(codes);
    for (Py_ssize_t m = 0; m < total; m++) code[m] = (char)messages[m].kind;
    int64_t *start = (int64_t *)PyBytes_AS_STRING(starts);
    start[0] = 0;
    for (Py_ssize_t row = 0; row < rows; row++) start[row + 1] = ends[row];
    for (Py_ssize_t row = 0; merges != NULL && row < rows; row++) {
        uint8_t flat[MAX_ROW_KEYS * DIGEST_BYTES];
        Py_ssize_t size = 0;
        for (Py_ssize_t at = start[row]; at < ends[row]; at++) {
            if (is_merge_kind(messages[at].kind)) {
                memcpy(flat + size, digests + DIGEST_BYTES * at, DIGEST_BYTES);
                size += DIGEST_BYTES;
            }
        }
        PyObject *merge = PyBytes_FromStringAndSize((const char *)flat, size);
        if (merge == NULL) goto fail;
        PyList_SET_ITEM(merges, row, merge);
    }
    out = merges ? PyTuple_Pack(4, codes, blob, starts, merges)
                 : PyTuple_Pack(3, codes, blob, starts);
fail:
    Py_XDECREF(codes);
    Py_XDECREF(blob);
    Py_XDECREF(starts);
    Py_XDECREF(merges);
    return out;
}

/* The messages are formed with the GIL (the values' UTF-8, kept by their str objects, which the
 * caller's lists keep alive), hashed without it (the importing thread's Python runs meanwhile),
 * and the digests made Python objects with it again. */
static PyObject *chunk_keys(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer raw_key;
    PyObject *columns[COLUMNS];
    int with_merges = 0, as_arrays = 0;
    if (!PyArg_ParseTuple(args, "y*O!O!O!O!O!O!O!O!|pp:chunk_keys", &raw_key,
                          &PyList_Type, &columns[REF], &PyList_Type, &columns[PHONES],
                          &PyList_Type, &columns[EMAIL], &PyList_Type, &columns[NAME],
                          &PyList_Type, &columns[BIRTH], &PyList_Type, &columns[ADDRESS],
                          &PyList_Type, &columns[PLACE], &PyList_Type, &columns[KANA],
                          &with_merges, &as_arrays))
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
    PyObject *out = NULL;
    message *messages = PyMem_Malloc(((size_t)rows * MAX_ROW_KEYS + 1) * sizeof(message));
    Py_ssize_t *ends = PyMem_Malloc(((size_t)rows + 1) * sizeof(Py_ssize_t));
    uint8_t *digests = PyMem_Malloc(((size_t)rows * MAX_ROW_KEYS + 1) * DIGEST_BYTES);
    if (messages == NULL || ends == NULL || digests == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t total = 0;
    for (Py_ssize_t row = 0; row < rows; row++) {
        int n = row_messages(columns, row, messages + total);
        if (n < 0) goto done;
        total += n;
        ends[row] = total;
    }
    int hashed = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t m = 0; m < total && hashed == 0; m++)
        hashed = message_digest(&key, &messages[m], digests + DIGEST_BYTES * m);
    Py_END_ALLOW_THREADS
    if (hashed) {
        openssl_error("EVP_MAC_update/final");
        goto done;
    }
    if (as_arrays) {
        out = key_arrays(messages, ends, digests, rows, total, with_merges);
        goto done;
    }
    out = PyList_New(rows);
    PyObject *merges = with_merges ? PyList_New(rows) : NULL;
    if (with_merges && merges == NULL) Py_CLEAR(out);
    Py_ssize_t m = 0;
    for (Py_ssize_t row = 0; out != NULL && row < rows; row++) {
        if (merges != NULL) {
            /* the row's merge digests (``MERGE_KINDS``) end to end, in the keys' order */
            uint8_t flat[MAX_ROW_KEYS * DIGEST_BYTES];
            Py_ssize_t size = 0;
            for (Py_ssize_t at = m; at < ends[row]; at++) {
                if (is_merge_kind(messages[at].kind)) {
                    memcpy(flat + size, digests + DIGEST_BYTES * at, DIGEST_BYTES);
                    size += DIGEST_BYTES;
                }
            }
            PyObject *merge = PyBytes_FromStringAndSize((const char *)flat, size);
            if (merge == NULL) {
                Py_CLEAR(out);
                break;
            }
            PyList_SET_ITEM(merges, row, merge);
        }
        PyObject *keys = PyTuple_New(ends[row] - m);
        for (Py_ssize_t at = 0; keys != NULL && m < ends[row]; m++, at++) {
            PyObject *digest = PyBytes_FromStringAndSize(
                (const char *)digests + DIGEST_BYTES * m, DIGEST_BYTES);
            PyObject *one = digest ? PyTuple_Pack(1, digest) : NULL;
            Py_XDECREF(digest);
            PyObject *entry = one ? PyTuple_Pack(2, kinds[messages[m].kind], one) : NULL;
            Py_XDECREF(one);
            if (entry == NULL) Py_CLEAR(keys);
            else PyTuple_SET_ITEM(keys, at, entry);
        }
        if (keys == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, row, keys);
    }
    if (merges != NULL) {
        if (out == NULL) {
            Py_DECREF(merges);
        } else {
            PyObject *pair = PyTuple_Pack(2, out, merges);
            Py_DECREF(out);
            Py_DECREF(merges);
            out = pair;
        }
    }
done:
    hmac_free(&key);
    PyMem_Free(messages);
    PyMem_Free(ends);
    PyMem_Free(digests);
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

/* ``index_messages(key, messages)``: each message's HMAC-SHA256 under key, truncated to the blind
 * index's 16 bytes (``crypto.blind_index`` of a message "kind\x1fvalue"): the keys of a row the
 * Python path forms (``Keyed.of``), hashed here with the key's states made once. */
static PyObject *index_messages(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer raw_key;
    PyObject *messages;
    if (!PyArg_ParseTuple(args, "y*O!:index_messages", &raw_key, &PyList_Type, &messages))
        return NULL;
    hmac_key key;
    int failed = hmac_setup(&key, raw_key.buf, (size_t)raw_key.len);
    PyBuffer_Release(&raw_key);
    if (failed) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(messages);
    PyObject *out = PyList_New(count);
    for (Py_ssize_t i = 0; out != NULL && i < count; i++) {
        PyObject *message = PyList_GET_ITEM(messages, i);
        if (!PyBytes_Check(message)) {
            PyErr_SetString(PyExc_TypeError, "index_messages: a message must be bytes");
            Py_CLEAR(out);
            break;
        }
        const uint8_t *parts[1] = {(const uint8_t *)PyBytes_AS_STRING(message)};
        size_t sizes[1] = {(size_t)PyBytes_GET_SIZE(message)};
        uint8_t mac[32];
        PyObject *digest = hmac_parts(&key, parts, sizes, 1, mac)
                               ? NULL
                               : PyBytes_FromStringAndSize((const char *)mac, DIGEST_BYTES);
        if (digest == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, i, digest);
    }
    hmac_free(&key);
    return out;
}

/* ---- Sealed records, a chunk at a time (``rouei.core.crypto.seal`` of each record's JSON) ----
 *
 * For each row, ``PersonRecord.to_json()`` of a record without former names (the column-wise
 * path's ``_json``: every str written as ``json.dumps(ensure_ascii=False)`` writes it), sealed
 * as ``crypto.seal`` seals it: "r1." + URL-safe base64 (padded) of nonce || AES-256-GCM
 * ciphertext || 16-byte tag, no associated data. The nonces come from the caller (12 bytes a row,
 * one read of the system's CSPRNG). The JSON, the encryption and the base64 run with the GIL
 * released, so the importing thread's Python runs meanwhile on the other core.
 * tests/people/test_seal_chunk.py opens these tokens with ``crypto.decrypt`` and compares the
 * JSON with ``PersonRecord.to_json``. */

enum { S_REF, S_NAME, S_KANA, S_POSTAL, S_ADDRESS, S_EMAIL, S_PHONES, S_BIRTH, S_COLUMNS };
#define NONCE_BYTES 12
#define TAG_BYTES 16
#define MAX_ROW_PHONES 8

typedef struct {
    part field[S_COLUMNS]; /* S_PHONES unused */
    part phone[MAX_ROW_PHONES];
    Py_ssize_t phones;
} record_parts;

/* The JSON string of ``text`` (quotes included) as json's encode_basestring writes it. */
static size_t json_string(uint8_t *out, const part *text) {
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    out[n++] = '"';
    for (Py_ssize_t i = 0; i < text->size; i++) {
        uint8_t c = (uint8_t)text->text[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            out[n++] = c;
            continue;
        }
        out[n++] = '\\';
        switch (c) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '\n': out[n++] = 'n'; break;
        case '\r': out[n++] = 'r'; break;
        case '\t': out[n++] = 't'; break;
        case '\b': out[n++] = 'b'; break;
        case '\f': out[n++] = 'f'; break;
        default:
            out[n++] = 'u';
            out[n++] = '0';
            out[n++] = '0';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15];
        }
    }
    out[n++] = '"';
    return n;
}

static size_t put(uint8_t *out, const char *literal) {
    size_t n = strlen(literal);
    memcpy(out, literal, n);
    return n;
}

/* The record's JSON into out (at least record_json_bound bytes); its length. */
static size_t record_json(uint8_t *out, const record_parts *r) {
    size_t n = 0;
    n += put(out + n, "{\"ref\":");
    n += json_string(out + n, &r->field[S_REF]);
    n += put(out + n, ",\"name\":");
    n += json_string(out + n, &r->field[S_NAME]);
    n += put(out + n, ",\"kana\":");
    n += json_string(out + n, &r->field[S_KANA]);
    n += put(out + n, ",\"postal_code\":");
    n += json_string(out + n, &r->field[S_POSTAL]);
    n += put(out + n, ",\"address\":");
    n += json_string(out + n, &r->field[S_ADDRESS]);
    n += put(out + n, ",\"email\":");
    n += json_string(out + n, &r->field[S_EMAIL]);
    n += put(out + n, ",\"phones\":[");
    for (Py_ssize_t i = 0; i < r->phones; i++) {
        if (i) out[n++] = ',';
        n += json_string(out + n, &r->phone[i]);
    }
    n += put(out + n, "],\"birth_date\":");
    n += json_string(out + n, &r->field[S_BIRTH]);
    n += put(out + n, ",\"former_names\":[]}");
    return n;
}

static size_t record_json_bound(const record_parts *r) {
    size_t n = 128; /* the field names and punctuation: 105 bytes */
    for (int c = 0; c < S_COLUMNS; c++)
        if (c != S_PHONES) n += 6 * (size_t)r->field[c].size + 2;
    for (Py_ssize_t i = 0; i < r->phones; i++) n += 6 * (size_t)r->phone[i].size + 3;
    return n;
}

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* URL-safe base64 with padding (``base64.urlsafe_b64encode``); the characters written. */
static size_t base64_url(char *out, const uint8_t *in, size_t size) {
    size_t n = 0, i = 0;
    for (; i + 3 <= size; i += 3) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
        out[n++] = b64_alphabet[v >> 18];
        out[n++] = b64_alphabet[(v >> 12) & 63];
        out[n++] = b64_alphabet[(v >> 6) & 63];
        out[n++] = b64_alphabet[v & 63];
    }
    if (size - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[n++] = b64_alphabet[v >> 18];
        out[n++] = b64_alphabet[(v >> 12) & 63];
        out[n++] = '=';
        out[n++] = '=';
    } else if (size - i == 2) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
        out[n++] = b64_alphabet[v >> 18];
        out[n++] = b64_alphabet[(v >> 12) & 63];
        out[n++] = b64_alphabet[(v >> 6) & 63];
        out[n++] = '=';
    }
    return n;
}

/* A str cell of a column (None is not a record field's value here). */
static int text_cell(PyObject *column, Py_ssize_t row, part *out) {
    PyObject *value = PyList_GET_ITEM(column, row);
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "a record field must be str");
        return -1;
    }
    out->text = PyUnicode_AsUTF8AndSize(value, &out->size);
    return out->text ? 0 : -1;
}

static PyObject *seal_records(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer raw_key, nonces;
    PyObject *columns[S_COLUMNS];
    if (!PyArg_ParseTuple(args, "y*y*O!O!O!O!O!O!O!O!:seal_records", &raw_key, &nonces,
                          &PyList_Type, &columns[S_REF], &PyList_Type, &columns[S_NAME],
                          &PyList_Type, &columns[S_KANA], &PyList_Type, &columns[S_POSTAL],
                          &PyList_Type, &columns[S_ADDRESS], &PyList_Type, &columns[S_EMAIL],
                          &PyList_Type, &columns[S_PHONES], &PyList_Type, &columns[S_BIRTH]))
        return NULL;
    PyObject *out = NULL;
    record_parts *records = NULL;
    size_t *starts = NULL;
    char *tokens = NULL;
    uint8_t *scratch = NULL;
    EVP_CIPHER_CTX *ctx = NULL;
    Py_ssize_t rows = PyList_GET_SIZE(columns[S_REF]);
    if (raw_key.len != 32) {
        PyErr_SetString(PyExc_ValueError, "the AES key must be 32 bytes");
        goto done;
    }
    for (int c = 1; c < S_COLUMNS; c++) {
        if (PyList_GET_SIZE(columns[c]) != rows) {
            PyErr_SetString(PyExc_ValueError, "the columns differ in length");
            goto done;
        }
    }
    if (nonces.len != NONCE_BYTES * rows) {
        PyErr_SetString(PyExc_ValueError, "12 bytes of nonce a row");
        goto done;
    }
    records = PyMem_Calloc((size_t)rows + 1, sizeof(record_parts));
    starts = PyMem_Calloc((size_t)rows + 1, sizeof(size_t));
    if (records == NULL || starts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* With the GIL: each field's UTF-8 (kept by its str, which the lists keep alive), and the
     * largest JSON and token a row can need. */
    size_t largest_json = 0, token_chars = 0;
    for (Py_ssize_t row = 0; row < rows; row++) {
        record_parts *r = &records[row];
        for (int c = 0; c < S_COLUMNS; c++) {
            if (c != S_PHONES && text_cell(columns[c], row, &r->field[c])) goto done;
        }
        PyObject *phones = PyList_GET_ITEM(columns[S_PHONES], row);
        if (!PyTuple_Check(phones) || PyTuple_GET_SIZE(phones) > MAX_ROW_PHONES) {
            PyErr_SetString(PyExc_ValueError, "a row's phones must be a tuple of at most 8");
            goto done;
        }
        r->phones = PyTuple_GET_SIZE(phones);
        for (Py_ssize_t i = 0; i < r->phones; i++) {
            PyObject *p = PyTuple_GET_ITEM(phones, i);
            if (!PyUnicode_Check(p)) {
                PyErr_SetString(PyExc_TypeError, "a phone must be str");
                goto done;
            }
            r->phone[i].text = PyUnicode_AsUTF8AndSize(p, &r->phone[i].size);
            if (r->phone[i].text == NULL) goto done;
        }
        size_t bound = record_json_bound(r);
        if (bound > largest_json) largest_json = bound;
        token_chars += 3 + 4 * ((NONCE_BYTES + bound + TAG_BYTES + 2) / 3);
    }
    scratch = PyMem_Malloc(NONCE_BYTES + largest_json + TAG_BYTES + 1);
    tokens = PyMem_Malloc(token_chars + 1);
    ctx = EVP_CIPHER_CTX_new();
    if (scratch == NULL || tokens == NULL || ctx == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int ok = 1;
    Py_BEGIN_ALLOW_THREADS
    ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, raw_key.buf, NULL);
    size_t at = 0;
    for (Py_ssize_t row = 0; ok && row < rows; row++) {
        uint8_t *nonce = scratch, *body = scratch + NONCE_BYTES;
        memcpy(nonce, (const uint8_t *)nonces.buf + NONCE_BYTES * row, NONCE_BYTES);
        /* The JSON is written where its ciphertext goes: GCM encrypts in place. */
        size_t size = record_json(body, &records[row]);
        int written = 0, final = 0;
        ok = EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) &&
             EVP_EncryptUpdate(ctx, body, &written, body, (int)size) &&
             EVP_EncryptFinal_ex(ctx, body + written, &final) &&
             (size_t)(written + final) == size &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, body + size);
        starts[row] = at;
        memcpy(tokens + at, "r1.", 3);
        at += 3 + base64_url(tokens + at + 3, scratch, NONCE_BYTES + size + TAG_BYTES);
    }
    starts[rows] = at;
    Py_END_ALLOW_THREADS
    if (!ok) {
        PyErr_SetString(PyExc_RuntimeError, "OpenSSL AES-256-GCM failed");
        goto done;
    }
    out = PyList_New(rows);
    for (Py_ssize_t row = 0; out != NULL && row < rows; row++) {
        PyObject *token = PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, tokens + starts[row],
                                                    (Py_ssize_t)(starts[row + 1] - starts[row]));
        if (token == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, row, token);
    }
done:
    EVP_CIPHER_CTX_free(ctx);
    PyMem_Free(scratch);
    PyMem_Free(tokens);
    PyMem_Free(starts);
    PyMem_Free(records);
    PyBuffer_Release(&raw_key);
    PyBuffer_Release(&nonces);
    return out;
}

/* ---- Phones of a column, the ASCII ones normalised here (``columnwise.phone``) ----
 *
 * For each row's phone cells (a tuple or list of str), the distinct ``identity.phone`` forms in
 * the cells' order (a tuple, empty when no cell is a phone), or None when a cell is not ASCII or
 * the row has more than 8 cells: those rows go through the Python rules (NFKC, widths, dashes).
 * An ASCII cell is read as ``columnwise.phone`` reads it: stripped, "+81" and then spaces,
 * hyphens and one "(0)" dropped, only digits, spaces, parentheses and hyphens, the digit runs
 * joined (a leading 0 added to the first after +81), a lost leading 0 restored (9 digits from 1-9,
 * 10 from 50/70/80/90 or 800), kept if 0 and 9 or 10 more digits. tests/people/test_prepare_chunk.py
 * compares it with ``identity.phone`` (hypothesis). */

static int ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
           (c >= 0x1c && c <= 0x1f);
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* The normal form of an ASCII phone into out (at least size + 2 bytes); its length, 0 if none. */
static size_t ascii_phone(const char *text, size_t size, char *out) {
    size_t start = 0, end = size;
    while (start < end && ascii_space(text[start])) start++;
    while (end > start && ascii_space(text[end - 1])) end--;
    int international = end - start >= 3 && memcmp(text + start, "+81", 3) == 0;
    if (international) {
        start += 3;
        while (start < end && (text[start] == ' ' || text[start] == '-')) start++;
        if (end - start >= 3 && memcmp(text + start, "(0)", 3) == 0) start += 3;
    }
    if (start == end) return 0;
    size_t n = 0;
    int in_run = 0, runs = 0;
    for (size_t i = start; i < end; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            if (!in_run) {
                runs++;
                in_run = 1;
                /* +81 followed by a run not starting with 0: the domestic 0 put back */
                if (runs == 1 && international && c != '0') out[n++] = '0';
            }
            out[n++] = c;
        } else if (c == ' ' || c == '(' || c == ')' || c == '-') {
            in_run = 0;
        } else {
            return 0;
        }
        if (n > 12) return 0; /* longer than any phone: no need to read further */
    }
    if (runs == 0) return 0;
    int lost_zero = (n == 9 && out[0] >= '1' && out[0] <= '9') ||
                    (n == 10 && ((out[1] == '0' && (out[0] == '5' || out[0] == '7' ||
                                                    out[0] == '8' || out[0] == '9')) ||
                                 memcmp(out, "800", 3) == 0));
    if (lost_zero) {
        memmove(out + 1, out, n);
        out[0] = '0';
        n++;
    }
    if (out[0] != '0' || n < 10 || n > 11 || !all_digits(out, n)) return 0;
    return n;
}

/* A phone cell written in full-width digits, hyphens, parentheses, plus or spaces (as Japanese
 * forms write one: ０９０－１２３４－５６７８), with ASCII among them or not: its NFKC, which is
 * then ASCII, into out (at most size characters); its length, -1 for a cell with any other
 * character (the Python rules read it). */
static Py_ssize_t wide_phone_text(PyObject *cell, char *out, Py_ssize_t size) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(cell);
    if (length > size) return -1;
    int kind = PyUnicode_KIND(cell);
    const void *data = PyUnicode_DATA(cell);
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) out[i] = (char)c;
        else if (c >= 0xFF10 && c <= 0xFF19) out[i] = (char)('0' + (c - 0xFF10));
        else if (c == 0xFF0D) out[i] = '-';
        else if (c == 0xFF08) out[i] = '(';
        else if (c == 0xFF09) out[i] = ')';
        else if (c == 0xFF0B) out[i] = '+';
        else if (c == 0x3000) out[i] = ' ';
        else return -1;
    }
    return length;
}

static PyObject *row_phones(PyObject *cells) {
    PyObject *fast = PySequence_Fast(cells, "a row's phone cells must be a sequence");
    if (fast == NULL) return NULL;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast);
    if (count > MAX_ROW_PHONES) {
        Py_DECREF(fast);
        Py_RETURN_NONE;
    }
    char normal[MAX_ROW_PHONES][16];
    size_t sizes[MAX_ROW_PHONES];
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *cell = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyUnicode_Check(cell)) {
            Py_DECREF(fast);
            Py_RETURN_NONE;
        }
        size_t n;
        if (PyUnicode_IS_ASCII(cell)) {
            Py_ssize_t size;
            const char *text = PyUnicode_AsUTF8AndSize(cell, &size);
            if (text == NULL) {
                Py_DECREF(fast);
                return NULL;
            }
            n = ascii_phone(text, (size_t)size, normal[kept]);
            if (n == 0) continue;
        } else {
            /* full-width: read as its NFKC only where that is a phone; any doubt is the
             * Python rules' (a None for the row) */
            char folded[64];
            Py_ssize_t size = wide_phone_text(cell, folded, (Py_ssize_t)sizeof folded);
            n = size < 0 ? 0 : ascii_phone(folded, (size_t)size, normal[kept]);
            if (n == 0) {
                Py_DECREF(fast);
                Py_RETURN_NONE;
            }
        }
        int seen = 0;
        for (Py_ssize_t j = 0; j < kept && !seen; j++)
            seen = sizes[j] == n && memcmp(normal[j], normal[kept], n) == 0;
        if (!seen) sizes[kept++] = n;
    }
    Py_DECREF(fast);
    PyObject *out = PyTuple_New(kept);
    for (Py_ssize_t j = 0; out != NULL && j < kept; j++) {
        PyObject *p = PyUnicode_FromStringAndSize(normal[j], (Py_ssize_t)sizes[j]);
        if (p == NULL) Py_CLEAR(out);
        else PyTuple_SET_ITEM(out, j, p);
    }
    return out;
}

static PyObject *phones_column(PyObject *self, PyObject *column) {
    (void)self;
    if (!PyList_Check(column)) {
        PyErr_SetString(PyExc_TypeError, "phones_column takes a list");
        return NULL;
    }
    Py_ssize_t rows = PyList_GET_SIZE(column);
    PyObject *out = PyList_New(rows);
    for (Py_ssize_t row = 0; out != NULL && row < rows; row++) {
        PyObject *phones = row_phones(PyList_GET_ITEM(column, row));
        if (phones == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, row, phones);
    }
    return out;
}

/* ---- E-mails, postal codes and birth dates of a column, the usual ASCII shapes read here ----
 *
 * Each takes a column's stripped cells (a list of str) and gives, per cell, its normal form, ""
 * for an empty cell, or None when the cell is not in the shape read here: the caller's Python
 * rules read those (``columnwise._email``, ``columnwise.postal_code``, ``identity.birth_date``),
 * so a None is never a verdict, only "not read here". Only shapes whose result is plain are
 * taken: no NFKC, width, space or era to fold. tests/people/test_columns_compiled.py compares
 * each with its Python rule (hypothesis). */

typedef Py_ssize_t (*cell_reader)(const char *text, Py_ssize_t size, char *out);
/* A reader of a cell that is not ASCII: the str itself. */
typedef Py_ssize_t (*wide_reader)(PyObject *cell, char *out);

/* An e-mail of printable ASCII without spaces: lower-cased, kept if it has the shape
 * ``identity.email`` asks (one "@" after at least one character, and a "." in the domain with a
 * character either side); any other cell is left to Python (which rejects or reads it). */
static Py_ssize_t read_email(const char *text, Py_ssize_t size, char *out) {
    Py_ssize_t at = -1;
    for (Py_ssize_t i = 0; i < size; i++) {
        char c = text[i];
        if (c < 0x21 || c > 0x7e) return -1;
        if (c == '@') {
            if (at >= 0) return -1;
            at = i;
        }
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
    }
    if (at < 1) return -1;
    for (Py_ssize_t i = at + 2; i < size - 1; i++)
        if (text[i] == '.') return size;
    return -1;
}

static int digits_at(const char *text, Py_ssize_t from, Py_ssize_t count) {
    for (Py_ssize_t i = from; i < from + count; i++)
        if (text[i] < '0' || text[i] > '9') return 0;
    return 1;
}

/* 1000001 or 100-0001: the seven digits. */
static Py_ssize_t read_postal(const char *text, Py_ssize_t size, char *out) {
    if (size == 7 && digits_at(text, 0, 7)) {
        memcpy(out, text, 7);
        return 7;
    }
    if (size == 8 && text[3] == '-' && digits_at(text, 0, 3) && digits_at(text, 4, 4)) {
        memcpy(out, text, 3);
        memcpy(out + 3, text + 4, 4);
        return 7;
    }
    return -1;
}

static int is_date_separator(char c) {
    return c == '-' || c == '/' || c == '.';
}

static int valid_date(int year, int month, int day) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days[month - 1] + (month == 2 && leap);
}

static Py_ssize_t iso_date(int year, int month, int day, char *out) {
    out[0] = (char)('0' + year / 1000);
    out[1] = (char)('0' + year / 100 % 10);
    out[2] = (char)('0' + year / 10 % 10);
    out[3] = (char)('0' + year % 10);
    out[4] = '-';
    out[5] = (char)('0' + month / 10);
    out[6] = (char)('0' + month % 10);
    out[7] = '-';
    out[8] = (char)('0' + day / 10);
    out[9] = (char)('0' + day % 10);
    return 10;
}

/* 1985-04-01, 1985/4/1, 1985.4.1 (any of the three separators at each place) or 19850401, a
 * date of the Gregorian calendar: written as ISO 8601 (``datetime.date.isoformat``). */
static Py_ssize_t read_birth(const char *text, Py_ssize_t size, char *out) {
    int year, month, day;
    if (size == 8 && digits_at(text, 0, 8)) {
        year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 +
               (text[3] - '0');
        month = (text[4] - '0') * 10 + (text[5] - '0');
        day = (text[6] - '0') * 10 + (text[7] - '0');
    } else {
        if (size < 8 || size > 10 || !digits_at(text, 0, 4) || !is_date_separator(text[4]))
            return -1;
        Py_ssize_t i = 5, start = 5;
        month = day = 0;
        while (i < size && i - start < 2 && text[i] >= '0' && text[i] <= '9')
            month = month * 10 + (text[i++] - '0');
        if (i == start || i >= size || !is_date_separator(text[i])) return -1;
        start = ++i;
        while (i < size && i - start < 2 && text[i] >= '0' && text[i] <= '9')
            day = day * 10 + (text[i++] - '0');
        if (i == start || i != size) return -1;
        year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 +
               (text[3] - '0');
    }
    return valid_date(year, month, day) ? iso_date(year, month, day, out) : -1;
}

/* The ASCII characters of cell from ``from`` into out (at most 16); their number, or -1 if one
 * is not ASCII. */
static Py_ssize_t ascii_tail(PyObject *cell, Py_ssize_t from, char *out) {
    Py_ssize_t size = PyUnicode_GET_LENGTH(cell);
    if (size - from > 16) return -1;
    int kind = PyUnicode_KIND(cell);
    const void *data = PyUnicode_DATA(cell);
    for (Py_ssize_t i = from; i < size; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c > 0x7f) return -1;
        out[i - from] = (char)c;
    }
    return size - from;
}

/* 〒100-0001 and 〒1000001: the postal mark, then a shape ``read_postal`` reads. */
static Py_ssize_t read_wide_postal(PyObject *cell, char *out) {
    char tail[16];
    if (PyUnicode_GET_LENGTH(cell) < 2 || PyUnicode_READ_CHAR(cell, 0) != 0x3012) return -1;
    Py_ssize_t n = ascii_tail(cell, 1, tail);
    return n < 0 ? -1 : read_postal(tail, n, out);
}

/* The eras of ``birth_date.ERAS``: name, first and last day (as yyyymmdd). */
static const struct {
    Py_UCS4 name[2];
    int first_year, first, last;
} eras[] = {
    {{0x660E, 0x6CBB}, 1868, 18680125, 19120729}, /* 明治 */
    {{0x5927, 0x6B63}, 1912, 19120730, 19261224}, /* 大正 */
    {{0x662D, 0x548C}, 1926, 19261225, 19890107}, /* 昭和 */
    {{0x5E73, 0x6210}, 1989, 19890108, 20190430}, /* 平成 */
    {{0x4EE4, 0x548C}, 2019, 20190501, 99991231}, /* 令和 */
};

/* One or two ASCII digits of cell at *at, moved past; -1 if none. */
static int small_number(PyObject *cell, Py_ssize_t *at) {
    Py_ssize_t size = PyUnicode_GET_LENGTH(cell), start = *at;
    int value = 0;
    while (*at < size && *at - start < 2) {
        Py_UCS4 c = PyUnicode_READ_CHAR(cell, *at);
        if (c < '0' || c > '9') break;
        value = value * 10 + (int)(c - '0');
        (*at)++;
    }
    return *at == start ? -1 : value;
}

/* 昭和60年4月1日 (元年 too): an era's name, its year in ASCII digits, 年, the month, 月, the day
 * and 日, nothing else; the date must lie within its era (``birth_date.parse``). */
static Py_ssize_t read_wide_birth(PyObject *cell, char *out) {
    Py_ssize_t size = PyUnicode_GET_LENGTH(cell);
    if (size < 8) return -1;
    Py_UCS4 first = PyUnicode_READ_CHAR(cell, 0), second = PyUnicode_READ_CHAR(cell, 1);
    int era = -1;
    for (int e = 0; e < (int)(sizeof eras / sizeof eras[0]); e++)
        if (eras[e].name[0] == first && eras[e].name[1] == second) era = e;
    if (era < 0) return -1;
    Py_ssize_t at = 2;
    int number;
    if (PyUnicode_READ_CHAR(cell, at) == 0x5143) { /* 元 */
        number = 1;
        at++;
    } else {
        number = small_number(cell, &at);
    }
    if (number < 0 || at >= size || PyUnicode_READ_CHAR(cell, at++) != 0x5E74) return -1; /* 年 */
    int month = small_number(cell, &at);
    if (month < 0 || at >= size || PyUnicode_READ_CHAR(cell, at++) != 0x6708) return -1; /* 月 */
    int day = small_number(cell, &at);
    if (day < 0 || at != size - 1 || PyUnicode_READ_CHAR(cell, at) != 0x65E5) return -1; /* 日 */
    int year = eras[era].first_year + number - 1;
    int stamp = year * 10000 + month * 100 + day;
    if (!valid_date(year, month, day) || stamp < eras[era].first || stamp > eras[era].last)
        return -1;
    return iso_date(year, month, day, out);
}

/* The e-mails this file reads are at most this long; a longer cell is left to Python. */
#define MAX_READ_CELL 320

static PyObject *read_column(PyObject *column, cell_reader reader, wide_reader wide,
                             const char *name) {
    if (!PyList_Check(column)) {
        PyErr_Format(PyExc_TypeError, "%s takes a list", name);
        return NULL;
    }
    Py_ssize_t rows = PyList_GET_SIZE(column);
    PyObject *out = PyList_New(rows);
    PyObject *empty = PyUnicode_New(0, 0);
    char normal[MAX_READ_CELL];
    for (Py_ssize_t row = 0; out != NULL && empty != NULL && row < rows; row++) {
        PyObject *cell = PyList_GET_ITEM(column, row);
        if (!PyUnicode_Check(cell)) {
            PyErr_Format(PyExc_TypeError, "%s: a cell must be str", name);
            Py_CLEAR(out);
            break;
        }
        PyObject *value = NULL;
        Py_ssize_t size = PyUnicode_GET_LENGTH(cell);
        if (size == 0) {
            value = Py_NewRef(empty);
        } else if (PyUnicode_IS_ASCII(cell) && size <= MAX_READ_CELL) {
            Py_ssize_t n = reader((const char *)PyUnicode_1BYTE_DATA(cell), size, normal);
            value = n < 0 ? Py_NewRef(Py_None)
                          : PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, normal, n);
        } else if (wide != NULL && size <= MAX_READ_CELL) {
            Py_ssize_t n = wide(cell, normal);
            value = n < 0 ? Py_NewRef(Py_None)
                          : PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, normal, n);
        } else {
            value = Py_NewRef(Py_None);
        }
        if (value == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, row, value);
    }
    Py_XDECREF(empty);
    return out;
}

static PyObject *emails_column(PyObject *self, PyObject *column) {
    (void)self;
    return read_column(column, read_email, NULL, "emails_column");
}

static PyObject *postals_column(PyObject *self, PyObject *column) {
    (void)self;
    return read_column(column, read_postal, read_wide_postal, "postals_column");
}

static PyObject *births_column(PyObject *self, PyObject *column) {
    (void)self;
    return read_column(column, read_birth, read_wide_birth, "births_column");
}

/* ---- Which rows of a chunk the column-wise path keeps ----
 *
 * ``kept_rows(alone, names, kanas, addresses, emails, phone_cells, phones, births)``: the
 * indexes of the rows not left to the row-by-row path, in order. The columns are the chunk's
 * (lists of equal length): ``alone`` the rows already left (bools), ``emails``/``births`` the
 * normal forms with None for a cell that is not one (and "" for an empty cell), ``phones`` each
 * row's normal phones (a tuple) or None, ``phone_cells`` each row's phone cells. A row is left
 * when it is already, when its e-mail, a birth date or every one of its phone cells is not one
 * (or it has too many phones: None), or when it has neither a name (or reading) nor a way to
 * reach the person (e-mail, phone, address) — what ``parse_row`` rejects or reads otherwise. */
static PyObject *kept_rows(PyObject *self, PyObject *args) {
    (void)self;
    enum { ALONE, NAMES, KANAS, ADDRESSES, EMAILS, PHONE_CELLS, PHONES, BIRTHS, KEPT_COLUMNS };
    PyObject *c[KEPT_COLUMNS];
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!O!O!O!:kept_rows", &PyList_Type, &c[ALONE],
                          &PyList_Type, &c[NAMES], &PyList_Type, &c[KANAS], &PyList_Type,
                          &c[ADDRESSES], &PyList_Type, &c[EMAILS], &PyList_Type,
                          &c[PHONE_CELLS], &PyList_Type, &c[PHONES], &PyList_Type, &c[BIRTHS]))
        return NULL;
    Py_ssize_t rows = PyList_GET_SIZE(c[ALONE]);
    for (int k = 1; k < KEPT_COLUMNS; k++) {
        if (PyList_GET_SIZE(c[k]) != rows) {
            PyErr_SetString(PyExc_ValueError, "the columns differ in length");
            return NULL;
        }
    }
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < rows; i++) {
        PyObject *email = PyList_GET_ITEM(c[EMAILS], i);
        PyObject *phones = PyList_GET_ITEM(c[PHONES], i);
        PyObject *cells = PyList_GET_ITEM(c[PHONE_CELLS], i);
        PyObject *birth = PyList_GET_ITEM(c[BIRTHS], i);
        if (PyList_GET_ITEM(c[ALONE], i) == Py_True || email == Py_None || phones == Py_None ||
            birth == Py_None)
            continue;
        if (!PyTuple_Check(phones) || !PyUnicode_Check(email)) {
            PyErr_SetString(PyExc_TypeError, "kept_rows: phones a tuple, e-mails str");
            Py_CLEAR(out);
            break;
        }
        Py_ssize_t cell_count = PyObject_Length(cells);
        if (cell_count < 0) {
            Py_CLEAR(out);
            break;
        }
        Py_ssize_t phone_count = PyTuple_GET_SIZE(phones);
        if (cell_count && !phone_count) continue; /* phone cells, none of them a phone */
        int named = PyObject_IsTrue(PyList_GET_ITEM(c[NAMES], i)) ||
                    PyObject_IsTrue(PyList_GET_ITEM(c[KANAS], i));
        int reachable = PyUnicode_GET_LENGTH(email) || phone_count ||
                        PyObject_IsTrue(PyList_GET_ITEM(c[ADDRESSES], i));
        if (!named && !reachable) continue;
        PyObject *index = PyLong_FromSsize_t(i);
        if (index == NULL || PyList_Append(out, index)) Py_CLEAR(out);
        Py_XDECREF(index);
    }
    return out;
}

/* ---- Reference numbers written out (``registry.new_reference``'s form) ----
 *
 * ``references(numbers, alphabet)``: for each number (little-endian 64-bit words, each below
 * len(alphabet)^11, drawn by the caller), its eleven digits in base len(alphabet) least
 * significant first as XXXX-XXXX-XXX and a check character: the alphabet's character at the
 * digits' sum weighted 1..11, modulo the alphabet's size. tests/people/test_columns_compiled.py
 * compares it with the Python form. */
#define REF_DIGITS 11

static PyObject *references(PyObject *self, PyObject *args) {
    (void)self;
    Py_buffer numbers;
    const char *alphabet;
    Py_ssize_t base;
    if (!PyArg_ParseTuple(args, "y*s#:references", &numbers, &alphabet, &base)) return NULL;
    PyObject *out = NULL;
    if (numbers.len % 8 || base < 2 || base > 127) {
        PyErr_SetString(PyExc_ValueError, "references: 8 bytes a number, an ASCII alphabet");
        goto done;
    }
    uint64_t limit = 1;
    for (int i = 0; i < REF_DIGITS; i++) limit *= (uint64_t)base;
    Py_ssize_t count = numbers.len / 8;
    out = PyList_New(count);
    const uint8_t *raw = numbers.buf;
    for (Py_ssize_t n = 0; out != NULL && n < count; n++) {
        uint64_t number = 0;
        for (int b = 7; b >= 0; b--) number = (number << 8) | raw[8 * n + b];
        if (number >= limit) {
            PyErr_SetString(PyExc_ValueError, "references: a number out of range");
            Py_CLEAR(out);
            break;
        }
        char text[REF_DIGITS + 3];
        unsigned weighted = 0;
        int at = 0;
        for (int i = 0; i < REF_DIGITS; i++) {
            unsigned digit = (unsigned)(number % (uint64_t)base);
            number /= (uint64_t)base;
            weighted += (unsigned)(i + 1) * digit;
            text[at++] = alphabet[digit];
            if (i == 3 || i == 7) text[at++] = '-';
        }
        text[at++] = alphabet[weighted % (unsigned)base];
        PyObject *ref = PyUnicode_FromStringAndSize(text, at);
        if (ref == NULL) Py_CLEAR(out);
        else PyList_SET_ITEM(out, n, ref);
    }
done:
    PyBuffer_Release(&numbers);
    return out;
}

/* ``bulk.insert_people``'s COPY text (PostgreSQL's text format, a row per line) of a batch of new
 * people, as UTF-8: what its Python form (``bulk._people_copy_text``) writes, encoded, without a
 * Python step per row. ``rows``: (id, sealed token, items, confirmed, controller, has e-mail,
 * has postal address) tuples; ``head``: the text between the id and the token (the two time
 * stamps and the incident, tab-separated); ``items_texts``: each row's items (as given) to its
 * field, already escaped; ``tail``: the notice status. The controller is escaped here (a
 * backslash, tab, line feed or carriage return, as ``bulk._copy_text``); the token is base64
 * and written as it is. tests/people/test_people_copy.py compares it with the Python form. */
typedef struct {
    char *data;
    size_t size, used;
} text_buffer;

static int buffer_reserve(text_buffer *b, size_t more) {
    if (b->used + more <= b->size) return 0;
    size_t size = b->size ? b->size : 4096;
    while (size < b->used + more) size *= 2;
    char *grown = PyMem_Realloc(b->data, size);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = grown;
    b->size = size;
    return 0;
}

static int buffer_put(text_buffer *b, const char *text, size_t size) {
    if (buffer_reserve(b, size) < 0) return -1;
    memcpy(b->data + b->used, text, size);
    b->used += size;
    return 0;
}

/* ``value``'s UTF-8, or -1 with an error set when it is not a str. */
static const char *utf8_of(PyObject *value, Py_ssize_t *size, const char *what) {
    if (!PyUnicode_Check(value)) {
        PyErr_Format(PyExc_TypeError, "people_copy: %s must be str", what);
        return NULL;
    }
    return PyUnicode_AsUTF8AndSize(value, size);
}

/* 't' or 'f' then a tab for a truth value; -1 on an error. */
static int put_flag(text_buffer *b, PyObject *value) {
    int truth = PyObject_IsTrue(value);
    if (truth < 0) return -1;
    return buffer_put(b, truth ? "t\t" : "f\t", 2);
}

static PyObject *people_copy(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *rows, *head, *items_texts, *tail;
    if (!PyArg_ParseTuple(args, "O!UO!U:people_copy", &PyList_Type, &rows, &head, &PyDict_Type,
                          &items_texts, &tail))
        return NULL;
    Py_ssize_t head_size, tail_size;
    const char *head_text = PyUnicode_AsUTF8AndSize(head, &head_size);
    const char *tail_text = head_text ? PyUnicode_AsUTF8AndSize(tail, &tail_size) : NULL;
    if (tail_text == NULL) return NULL;
    text_buffer b = {NULL, 0, 0};
    Py_ssize_t count = PyList_GET_SIZE(rows);
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *row = PyList_GET_ITEM(rows, n);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != 7) {
            PyErr_SetString(PyExc_TypeError, "people_copy: a row is a tuple of 7");
            goto fail;
        }
        /* the id as str() writes it */
        PyObject *id = PyTuple_GET_ITEM(row, 0);
        Py_ssize_t size;
        const char *text;
        int overflow = 1;
        long long number = PyLong_CheckExact(id) ? PyLong_AsLongLongAndOverflow(id, &overflow) : 0;
        if (!overflow) {
            char digits[24];
            int written = snprintf(digits, sizeof digits, "%lld", number);
            if (buffer_put(&b, digits, (size_t)written) < 0) goto fail;
        } else {  /* not a machine-sized int: its str() */
            PyObject *id_text = PyObject_Str(id);
            if (id_text == NULL) goto fail;
            text = utf8_of(id_text, &size, "str(id)");
            int failed = text == NULL || buffer_put(&b, text, (size_t)size) < 0;
            Py_DECREF(id_text);
            if (failed) goto fail;
        }
        if (buffer_put(&b, head_text, (size_t)head_size) < 0) goto fail;
        text = utf8_of(PyTuple_GET_ITEM(row, 1), &size, "the sealed token");
        if (text == NULL || buffer_put(&b, text, (size_t)size) < 0 || buffer_put(&b, "\t", 1) < 0)
            goto fail;
        PyObject *items = PyDict_GetItemWithError(items_texts, PyTuple_GET_ITEM(row, 2));
        if (items == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_KeyError, "people_copy: items not given");
            goto fail;
        }
        text = utf8_of(items, &size, "an items text");
        if (text == NULL || buffer_put(&b, text, (size_t)size) < 0 || buffer_put(&b, "\t", 1) < 0)
            goto fail;
        if (put_flag(&b, PyTuple_GET_ITEM(row, 3)) < 0) goto fail;
        text = utf8_of(PyTuple_GET_ITEM(row, 4), &size, "the controller");
        if (text == NULL || buffer_reserve(&b, 2 * (size_t)size + 1) < 0) goto fail;
        for (Py_ssize_t i = 0; i < size; i++) {
            char c = text[i], escaped = 0;
            switch (c) {
                case '\\': escaped = '\\'; break;
                case '\t': escaped = 't'; break;
                case '\n': escaped = 'n'; break;
                case '\r': escaped = 'r'; break;
                default: break;
            }
            if (escaped) {
                b.data[b.used++] = '\\';
                b.data[b.used++] = escaped;
            } else {
                b.data[b.used++] = c;
            }
        }
        b.data[b.used++] = '\t';
        if (put_flag(&b, PyTuple_GET_ITEM(row, 5)) < 0 || put_flag(&b, PyTuple_GET_ITEM(row, 6)) < 0 ||
            buffer_put(&b, tail_text, (size_t)tail_size) < 0 || buffer_put(&b, "\n", 1) < 0)
            goto fail;
    }
    PyObject *out = PyBytes_FromStringAndSize(b.data ? b.data : "", (Py_ssize_t)b.used);
    PyMem_Free(b.data);
    return out;
fail:
    PyMem_Free(b.data);
    return NULL;
}

/* ``instances(cls, names, values, pair)``: a list of new instances of ``cls`` (a class with
 * ``__slots__``), instance n's slot ``names[j]`` set to ``values[j][n]`` where ``values[j]`` is
 * a list (one value a row; every list as long) and to ``values[j]`` itself otherwise (the same
 * for every row) — without calling ``__init__``: ``preparing.keyed_rows`` gives every slot
 * the value its ``__init__`` would (tests/people/test_keyed_rows.py compares them), for a
 * chunk's rows at once instead of a Python call a row. With ``pair`` >= 0, each entry is
 * (``values[pair][n]``, the instance). Each name must be an object slot of ``cls``. */
static PyObject *instances(PyObject *self, PyObject *args) {
    (void)self;
    PyTypeObject *type;
    PyObject *names, *values;
    int pair;
    if (!PyArg_ParseTuple(args, "O!O!O!i:instances", &PyType_Type, &type, &PyTuple_Type, &names,
                          &PyTuple_Type, &values, &pair))
        return NULL;
    Py_ssize_t slots = PyTuple_GET_SIZE(names);
    if (slots != PyTuple_GET_SIZE(values) || slots == 0 || pair >= slots) {
        PyErr_SetString(PyExc_ValueError, "instances: a value (or column) for each name");
        return NULL;
    }
    if (pair >= 0 && !PyList_CheckExact(PyTuple_GET_ITEM(values, pair))) {
        PyErr_SetString(PyExc_ValueError, "instances: the paired values must be a list");
        return NULL;
    }
    Py_ssize_t *offsets = PyMem_Calloc((size_t)slots, sizeof(Py_ssize_t));
    if (offsets == NULL) return PyErr_NoMemory();
    PyObject *out = NULL;
    Py_ssize_t count = -1;
    for (Py_ssize_t j = 0; j < slots; j++) {
        PyObject *descr = PyObject_GetAttr((PyObject *)type, PyTuple_GET_ITEM(names, j));
        if (descr == NULL) goto done;
        int slot = Py_IS_TYPE(descr, &PyMemberDescr_Type) &&
                   PyType_IsSubtype(type, PyDescr_TYPE(descr)) &&
                   ((PyMemberDescrObject *)descr)->d_member->type == T_OBJECT_EX &&
                   !(((PyMemberDescrObject *)descr)->d_member->flags & READONLY);
        if (slot) offsets[j] = ((PyMemberDescrObject *)descr)->d_member->offset;
        Py_DECREF(descr);
        if (!slot) {
            PyErr_Format(PyExc_TypeError, "instances: %R is not an object slot of the class",
                         PyTuple_GET_ITEM(names, j));
            goto done;
        }
        PyObject *column = PyTuple_GET_ITEM(values, j);
        if (!PyList_CheckExact(column)) continue;
        if (count >= 0 && PyList_GET_SIZE(column) != count) {
            PyErr_SetString(PyExc_ValueError, "instances: the columns differ in length");
            goto done;
        }
        count = PyList_GET_SIZE(column);
    }
    if (count < 0) {
        PyErr_SetString(PyExc_ValueError, "instances: no column (list) of values");
        goto done;
    }
    out = PyList_New(count);
    if (out == NULL) goto done;
    for (Py_ssize_t n = 0; n < count; n++) {
        PyObject *made = type->tp_alloc(type, 0);
        if (made == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        for (Py_ssize_t j = 0; j < slots; j++) {
            PyObject *column = PyTuple_GET_ITEM(values, j);
            PyObject *value = PyList_CheckExact(column) ? PyList_GET_ITEM(column, n) : column;
            PyObject **at = (PyObject **)((char *)made + offsets[j]);
            PyObject *old = *at;
            Py_INCREF(value);
            *at = value;
            Py_XDECREF(old);
        }
        if (pair >= 0) {
            PyObject *both = PyTuple_Pack(2, PyList_GET_ITEM(PyTuple_GET_ITEM(values, pair), n),
                                          made);
            Py_DECREF(made);
            if (both == NULL) {
                Py_CLEAR(out);
                goto done;
            }
            made = both;
        }
        PyList_SET_ITEM(out, n, made);
    }
done:
    PyMem_Free(offsets);
    return out;
}

static PyMethodDef methods[] = {
    {"chunk_keys", chunk_keys, METH_VARARGS,
     "chunk_keys(index_key, refs, phones, emails, names, births, addresses, places, kanas, "
     "merges=False, arrays=False) -> a tuple of (kind, (digest,)) per row, as "
     "registry.lookup_values orders them; with merges, (those, each row's merge digests end to "
     "end as bytes); with arrays, (kind codes (a byte each, indexes into KINDS), the digests end "
     "to end, each row's first key as native int64 and the keys' count after them[, merges])"},
    {"seal_records", seal_records, METH_VARARGS,
     "seal_records(aes_key, nonces, refs, names, kanas, postals, addresses, emails, phones, "
     "births) -> the sealed token (crypto.seal) of each row's record JSON, no former names"},
    {"phones_column", phones_column, METH_O,
     "phones_column(cells per row) -> per row a tuple of the distinct normal phones, or None "
     "when a cell is neither ASCII nor a full-width phone (or more than 8 cells): the Python "
     "rules apply"},
    {"emails_column", emails_column, METH_O,
     "emails_column(stripped cells) -> per cell the e-mail lower-cased, '' for an empty cell, "
     "None when the Python rules must read it"},
    {"postals_column", postals_column, METH_O,
     "postals_column(stripped cells) -> per cell its seven digits, '' for an empty cell, None "
     "when the Python rules must read it"},
    {"births_column", births_column, METH_O,
     "births_column(stripped cells) -> per cell its ISO date, '' for an empty cell, None when "
     "the Python rules must read it"},
    {"kept_rows", kept_rows, METH_VARARGS,
     "kept_rows(alone, names, kanas, addresses, emails, phone_cells, phones, births) -> the "
     "indexes of the rows the column-wise path keeps"},
    {"references", references, METH_VARARGS,
     "references(numbers as little-endian u64, alphabet) -> each number written as a reference "
     "(registry.new_reference's form)"},
    {"index_messages", index_messages, METH_VARARGS,
     "index_messages(key, [kind '\\x1f' value as bytes]) -> each one's blind index (16 bytes)"},
    {"digest", digest, METH_VARARGS, "digest(key, message) -> HMAC-SHA256 (32 bytes)"},
    {"instances", instances, METH_VARARGS,
     "instances(cls, slot names, values (a list: one a row; else the same for all), pair) -> "
     "new instances of cls with those slots set, __init__ not called; pair >= 0: "
     "(values[pair][n], instance) each"},
    {"people_copy", people_copy, METH_VARARGS,
     "people_copy(rows, head, items_texts, tail) -> bulk.insert_people's COPY text as UTF-8"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rowkeys", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__rowkeys(void) {
    if (hmac_algorithm == NULL) {
        hmac_algorithm = EVP_MAC_fetch(NULL, "HMAC", NULL);
        if (hmac_algorithm == NULL) {
            openssl_error("EVP_MAC_fetch");
            return NULL;
        }
    }
    for (int i = 0; i < 9; i++) {
        kinds[i] = PyUnicode_InternFromString(kind_names[i]);
        if (kinds[i] == NULL) return NULL;
    }
    PyObject *created = PyModule_Create(&module);
    if (created == NULL) return NULL;
    /* the kind of each code of ``chunk_keys(..., arrays=True)`` */
    PyObject *names = PyTuple_New(9);
    if (names == NULL) {
        Py_DECREF(created);
        return NULL;
    }
    for (int i = 0; i < 9; i++) {
        Py_INCREF(kinds[i]);
        PyTuple_SET_ITEM(names, i, kinds[i]);
    }
    if (PyModule_AddObject(created, "KINDS", names) < 0) {
        Py_DECREF(names);
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
