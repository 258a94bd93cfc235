// Encodings and digests providers put in state (random_id's b64_url and hex,
// local_file's content_base64 and content_sha256, ...), over OpenSSL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reconcile::encoding {

enum class Base64Alphabet : unsigned char {
  kStandard,  // "+/" with "=" padding (RFC 4648 section 4)
  kUrl,       // "-_" without padding (RFC 4648 section 5)
};

std::string Base64Encode(std::string_view bytes,
                         Base64Alphabet alphabet = Base64Alphabet::kStandard);
// Accepts either alphabet, with or without padding; false on invalid input.
bool Base64Decode(std::string_view text, std::string* bytes);
std::string HexEncode(std::string_view bytes);

enum class Digest : unsigned char { kMd5, kSha1, kSha256, kSha512 };
// The raw digest of `bytes`.
std::string DigestOf(Digest digest, std::string_view bytes);

// Fills *bytes with `count` cryptographically secure random bytes (OpenSSL
// RAND_bytes); false when the generator fails.
bool RandomBytes(std::size_t count, std::string* bytes);
// A uniformly distributed integer in [0, bound), without modulo bias; bound > 0.
bool RandomBelow(std::uint32_t bound, std::uint32_t* out);

}  // namespace reconcile::encoding
