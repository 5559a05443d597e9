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
 * out here: it picks the CPU's SHA instructions itself. The hashing runs with the GIL released,
 * so that the importing thread's Python runs meanwhile on the other core.
 *
 * Besides (below): ``seal_records``, a chunk's records sealed as ``crypto.seal`` seals them
 * (OpenSSL's AES-256-GCM), and ``phones_column``, a column's ASCII phones normalised. */

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
    EVP_MAC_CTX *ctx = key->keyed;
    uint8_t mac[32];
    size_t written = 0;
    if (!EVP_MAC_init(ctx, NULL, 0, NULL)) return -1;
    for (int i = 0; i < count; i++)
        if (!EVP_MAC_update(ctx, parts[i], sizes[i])) return -1;
    if (!EVP_MAC_final(ctx, mac, &written, 32) || written != 32) return -1;
    memcpy(digest, mac, DIGEST_BYTES);
    return 0;
}

/* The messages are formed with the GIL (the values' UTF-8, kept by their str objects, which the
 * caller's lists keep alive), hashed without it (the importing thread's Python runs meanwhile),
 * and the digests made Python objects with it again. */
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
        openssl_error("EVP_MAC_init/update/final");
        goto done;
    }
    out = PyList_New(rows);
    Py_ssize_t m = 0;
    for (Py_ssize_t row = 0; out != NULL && row < rows; row++) {
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
        if (!PyUnicode_Check(cell) || !PyUnicode_IS_ASCII(cell)) {
            Py_DECREF(fast);
            Py_RETURN_NONE;
        }
        Py_ssize_t size;
        const char *text = PyUnicode_AsUTF8AndSize(cell, &size);
        if (text == NULL) {
            Py_DECREF(fast);
            return NULL;
        }
        size_t n = ascii_phone(text, (size_t)size, normal[kept]);
        if (n == 0) continue;
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

static PyMethodDef methods[] = {
    {"chunk_keys", chunk_keys, METH_VARARGS,
     "chunk_keys(index_key, refs, phones, emails, names, births, addresses, places, kanas) -> "
     "a tuple of (kind, (digest,)) per row, as registry.lookup_values orders them"},
    {"seal_records", seal_records, METH_VARARGS,
     "seal_records(aes_key, nonces, refs, names, kanas, postals, addresses, emails, phones, "
     "births) -> the sealed token (crypto.seal) of each row's record JSON, no former names"},
    {"phones_column", phones_column, METH_O,
     "phones_column(cells per row) -> per row a tuple of the distinct normal phones, or None "
     "when a cell is not ASCII (or more than 8 cells): the Python rules apply"},
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
