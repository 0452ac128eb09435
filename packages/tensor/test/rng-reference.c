/* Build and run: gcc -O2 rng-reference.c -o ref && ./ref. Its output is the expected values in random.test.ts. */
/* Independent reference: splitmix32 seeding + xoshiro128** (Blackman & Vigna reference code). */
#include <stdio.h>
#include <stdint.h>
static uint32_t s[4];
static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
uint32_t next(void) {
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return result;
}
static uint32_t sm;
uint32_t splitmix32(void) {
  uint32_t z = (sm += 0x9e3779b9u);
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}
int main(void) {
  uint32_t seeds[] = {0, 1, 42, 20261127};
  for (int k = 0; k < 4; k++) {
    sm = seeds[k];
    for (int i = 0; i < 4; i++) s[i] = splitmix32();
    printf("%u:", seeds[k]);
    for (int i = 0; i < 5; i++) printf(" %u", next());
    uint32_t hi = next() >> 5, lo = next() >> 6;
    printf(" | %.17g\n", (hi * 67108864.0 + lo) / 9007199254740992.0);
  }
}
