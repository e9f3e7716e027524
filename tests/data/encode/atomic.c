/*
 * Encoder construct corpus, _Atomic (DW_TAG_atomic_type): pahole 1.24
 * loses the member's type (void); BTF has no atomic kind, so the encoder
 * encodes the underlying type.
 */
struct with_atomic {
	_Atomic int counter;
	_Atomic(long) *ptr;
	int plain;
};
struct with_atomic g_atomic;
