#include "backends/s3/content_digest.h"

#include <openssl/evp.h>

namespace reconcile::s3 {

namespace {

// The 16 raw bytes of MD5(data).
std::string Md5Raw(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace

std::string Md5Hex(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : Md5Raw(data)) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

std::string Md5Base64(std::string_view data) {
  std::string raw = Md5Raw(data);
  unsigned char encoded[64] = {};
  int size = EVP_EncodeBlock(encoded, reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(size));
}

}  // namespace reconcile::s3
