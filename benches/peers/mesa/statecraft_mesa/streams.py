"""statecraft's parameter stream, for the one draw the port takes from it: the row of a joint
parameter sample (`param_sample`, MODEL.md 3.1).

The port's other random numbers come from its own generator (model.py); the row index is the
one draw it shares with statecraft, so that a probe with a sample of several rows can still
compare every number. Written from rand_chacha's documentation of ChaCha8Rng (the ChaCha block
function with 8 rounds, a 64-bit block counter and a 64-bit stream number), rand_core's
`seed_from_u64` (PCG32 output filling the 32-byte key) and statecraft's rng.rs (the key
mix64(seed ^ mix64(1)), the stream number fnv1a(path), run r's uniform the r-th u64).
"""

from __future__ import annotations

_M64 = 0xFFFF_FFFF_FFFF_FFFF
_M32 = 0xFFFF_FFFF
_PARAMS = 1  # Stream::Params


def mix64(z: int) -> int:
    """SplitMix64's finaliser (rng.rs `mix64`)."""
    z = (z + 0x9E37_79B9_7F4A_7C15) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB) & _M64
    return z ^ (z >> 31)


def fnv1a(text: str) -> int:
    """FNV-1a of a string's UTF-8 bytes (rng.rs `fnv1a`): a parameter path's slot."""
    h = 0xCBF2_9CE4_8422_2325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x0100_0000_01B3) & _M64
    return h


def _key(state: int) -> list:
    """rand_core's seed_from_u64: eight PCG32 outputs, the key's words."""
    words = []
    for _ in range(8):
        state = (state * 0x5851_F42D_4C95_7F2D + 0xA176_54E4_6FBE_17F3) & _M64
        xorshifted = (((state >> 18) ^ state) >> 27) & _M32
        rot = state >> 59
        words.append(((xorshifted >> rot) | (xorshifted << ((32 - rot) & 31))) & _M32)
    return words


def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & _M32


def _block(key: list, counter: int, stream: int) -> list:
    """The 16 output words of ChaCha8 block `counter` of stream `stream`."""
    s = [0x6170_7865, 0x3320_646E, 0x7962_2D32, 0x6B20_6574, *key,
         counter & _M32, counter >> 32, stream & _M32, stream >> 32]
    x = list(s)

    def qr(a, b, c, d):
        x[a] = (x[a] + x[b]) & _M32
        x[d] = _rotl(x[d] ^ x[a], 16)
        x[c] = (x[c] + x[d]) & _M32
        x[b] = _rotl(x[b] ^ x[c], 12)
        x[a] = (x[a] + x[b]) & _M32
        x[d] = _rotl(x[d] ^ x[a], 8)
        x[c] = (x[c] + x[d]) & _M32
        x[b] = _rotl(x[b] ^ x[c], 7)

    for _ in range(4):
        qr(0, 4, 8, 12)
        qr(1, 5, 9, 13)
        qr(2, 6, 10, 14)
        qr(3, 7, 11, 15)
        qr(0, 5, 10, 15)
        qr(1, 6, 11, 12)
        qr(2, 7, 8, 13)
        qr(3, 4, 9, 14)
    return [(a + b) & _M32 for a, b in zip(x, s)]


def open01(key_seed: int, stream: int, word: int) -> float:
    """The uniform in (0, 1) of rng.rs `open01` made from the u64 at (even) word `word` of
    ChaCha8 stream `stream` seeded with `key_seed`: 53 bits, plus a half."""
    out = _block(_key(key_seed), word // 16, stream)
    lo, hi = out[word % 16], out[word % 16 + 1]
    bits = (((hi << 32) | lo) & _M64) >> 11
    return (bits + 0.5) * (1.0 / (1 << 53))


def stream_uniform(seed: int, stream: int, run: int) -> float:
    """rng.rs `SimRng::new(seed, stream, run)`'s first uniform."""
    return open01(mix64((seed ^ mix64(stream)) & _M64), run, 0)


def param_uniform(seed: int, path: str, run: int) -> float:
    """Run `run`'s uniform in the parameter stream's slot `path` (rng.rs `for_param`)."""
    return open01(mix64((seed ^ mix64(_PARAMS)) & _M64), fnv1a(path), 2 * run)


def sample_row(seed: int, run: int, rows: int) -> int:
    """The row of a joint sample of `rows` rows that run `run` takes: ⌊u·N⌋, at most N − 1,
    u its uniform in the slot `param_sample`."""
    return min(int(param_uniform(seed, "param_sample", run) * rows), rows - 1)
