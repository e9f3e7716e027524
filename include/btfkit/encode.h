/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit encode: generate BTF from the DWARF of an ELF file (a vmlinux, a
 * kernel module, a user-space program or object), as pahole -J does.
 *
 * Every DWARF type of every unit becomes BTF (no pruning of unreferenced
 * types); the units' types are deduplicated with btfkit's dedup. With a
 * base the result is split BTF on it holding only what the base lacks (a
 * kernel module on vmlinux). Which functions get a FUNC, and the other
 * choices pahole's --btf_features switches, are features (BK_ENC_*); the
 * rules are written down in docs/encode.md. The result is the same bytes
 * for any number of threads.
 */
#ifndef BTFKIT_ENCODE_H
#define BTFKIT_ENCODE_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Features, named as pahole's --btf_features names them. */
#define BK_ENC_ENCODE_FORCE   (1u << 0) /* skip what cannot be encoded instead of failing */
#define BK_ENC_VAR            (1u << 1) /* per-CPU variables: VAR + DATASEC .data..percpu */
#define BK_ENC_FLOAT          (1u << 2) /* floating-point types as FLOAT (else INT, no encoding) */
#define BK_ENC_DECL_TAG       (1u << 3) /* btf_decl_tag annotations as DECL_TAG */
#define BK_ENC_TYPE_TAG       (1u << 4) /* btf_type_tag annotations as TYPE_TAG */
#define BK_ENC_ENUM64         (1u << 5) /* enums over 4 bytes as ENUM64 (else truncated ENUM) */
#define BK_ENC_OPTIMIZED_FUNC (1u << 6) /* functions known only by a clone symbol (foo.isra.0) */
#define BK_ENC_CONSISTENT_FUNC (1u << 7) /* skip inconsistent, moved-register, ambiguous functions */
#define BK_ENC_ALL            (0xffu)
/* What the current kernel build asks for (pahole --btf_features=default). */
#define BK_ENC_DEFAULT        BK_ENC_ALL
/* Pass this (alone) for no feature at all: 0 means BK_ENC_DEFAULT. */
#define BK_ENC_NONE           (1u << 31)

struct bk_encode_opts {
	size_t sz;            /* sizeof(struct bk_encode_opts), for ABI growth */
	struct bk_btf *base;  /* borrowed: the result is split BTF on it */
	unsigned jobs;        /* worker threads; 0 or 1: none */
	uint32_t features;    /* BK_ENC_* bits; 0 = BK_ENC_DEFAULT */
	/*
	 * Languages whose units are skipped, comma-separated pahole names
	 * ("rust", "c++", "c89", ...). NULL means "rust", as the kernel build
	 * asks; "" skips none. An unknown name is -EINVAL.
	 */
	const char *lang_exclude;
	/* Optional: called with notes (a function skipped and why, a unit skipped). */
	void (*log)(void *ctx, const char *msg);
	void *log_ctx;
	struct bk_diag *diag; /* optional: receives the reason on failure */
};

/*
 * Encode the DWARF of the ELF file at path. Returns a new BTF object (split
 * on opts->base when given; its byte order and pointer size are the
 * file's), or NULL with errno set and the reason in opts->diag: ENOENT no
 * such file or no DWARF, EINVAL malformed ELF or DWARF or a bad option
 * (the message names the unit and DIE offset), EOPNOTSUPP DWARF the encoder
 * does not understand, ENOMEM, E2BIG over a BTF limit.
 */
BK_API struct bk_btf *bk_btf_encode(const char *path, const struct bk_encode_opts *opts);
/* The same for an ELF image in memory (not modified; may be freed after the call). */
BK_API struct bk_btf *bk_btf_encode_mem(const void *data, size_t size,
					const struct bk_encode_opts *opts);

/*
 * Parse a feature list as pahole's --btf_features does, into *features:
 * comma-separated items applied in order; "default" adds the default set,
 * "all" every feature, "NAME" or "+NAME" adds one, "-NAME" removes one.
 * A list whose first item is a bare NAME starts from no feature (pahole's
 * reset); one starting with "default", "all", "+" or "-" from the default
 * set. Returns 0, or -EINVAL for an unknown name (diag says which).
 */
BK_API int bk_encode_parse_features(const char *list, uint32_t *features, struct bk_diag *diag);
/* Name of one feature bit ("var", ...), NULL for others. */
BK_API const char *bk_encode_feature_name(uint32_t feature);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_ENCODE_H */
