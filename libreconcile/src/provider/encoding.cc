#include "provider/encoding.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>

namespace reconcile::encoding {

std::string Base64Encode(std::string_view bytes, Base64Alphabet alphabet) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  if (alphabet == Base64Alphabet::kUrl) {
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

bool Base64Decode(std::string_view text, std::string* bytes) {
  std::string standard(text);
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  std::size_t padding = 0;
  while (!standard.empty() && standard.back() == '=') {
    standard.pop_back();
    ++padding;
  }
  if (padding > 2 || standard.size() % 4 == 1) return false;
  padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  std::string out(standard.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(standard.data()),
                          static_cast<int>(standard.size()));
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n) - padding);
  *bytes = std::move(out);
  return true;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0f];
  }
  return out;
}

std::string DigestOf(Digest digest, std::string_view bytes) {
  const EVP_MD* md = digest == Digest::kMd5      ? EVP_md5()
                     : digest == Digest::kSha1   ? EVP_sha1()
                     : digest == Digest::kSha256 ? EVP_sha256()
                                                 : EVP_sha512();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &size, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), size);
}

bool RandomBytes(std::size_t count, std::string* bytes) {
  bytes->assign(count, '\0');
  return count == 0 ||
         RAND_bytes(reinterpret_cast<unsigned char*>(bytes->data()), static_cast<int>(count)) == 1;
}

bool RandomBelow(std::uint32_t bound, std::uint32_t* out) {
  // Draws above the largest multiple of `bound` are rejected, so every
  // residue is equally likely.
  const std::uint64_t range = std::uint64_t{1} << 32;
  const std::uint64_t limit = range - range % bound;
  while (true) {
    std::uint32_t draw = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&draw), sizeof draw) != 1) return false;
    if (draw < limit) {
      *out = draw % bound;
      return true;
    }
  }
}

}  // namespace reconcile::encoding
