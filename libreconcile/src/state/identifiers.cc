// Lineage UUIDs and timestamps for state documents and locks.
#include <ctime>
#include <random>

#include <openssl/rand.h>

#include "reconcile/state.h"

namespace reconcile {

namespace {

// 16 random bytes; OpenSSL's CSPRNG, or std::random_device if it ever fails.
void RandomBytes(unsigned char (&bytes)[16]) {
  if (RAND_bytes(bytes, sizeof bytes) == 1) return;
  std::random_device device;
  for (unsigned char& b : bytes) b = static_cast<unsigned char>(device());
}

}  // namespace

std::string NewLineage() {
  unsigned char bytes[16];
  RandomBytes(bytes);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace reconcile
