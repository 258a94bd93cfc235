#include "aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "aws/credentials.h"

namespace reconcile::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Headers that proxies or the transport may change, so they are never signed.
bool IsUnsignableHeader(std::string_view lower_name) {
  static constexpr std::string_view kNames[] = {
      "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
      "user-agent", "x-amzn-trace-id"};
  return std::find(std::begin(kNames), std::end(kNames), lower_name) != std::end(kNames);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims and collapses runs of whitespace to one space (SigV4 "Trimall").
std::string TrimAll(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string CanonicalUri(const SigningRequest& request, const SigningParams& params) {
  std::string path = request.path.empty() ? "/" : request.path;
  if (params.s3_uri_rules) return path;
  return UriEncode(NormalizePath(path), /*keep_slash=*/true);
}

// Lowercased name -> values in order, for the headers that get signed.
std::map<std::string, std::vector<std::string>> HeadersToSign(const HeaderList& headers) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, value] : headers) {
    std::string lower = Lower(name);
    if (!IsUnsignableHeader(lower)) out[lower].push_back(TrimAll(value));
  }
  return out;
}

std::string SigningKey(const Credentials& credentials, const SigningParams& params) {
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, params.amz_date.substr(0, 8));
  key = HmacSha256(key, params.region);
  key = HmacSha256(key, params.service);
  return HmacSha256(key, "aws4_request");
}

std::string CredentialScope(const SigningParams& params) {
  return params.amz_date.substr(0, 8) + "/" + params.region + "/" + params.service +
         "/aws4_request";
}

void SetHeader(HeaderList& headers, std::string_view name, std::string value) {
  std::string lower = Lower(name);
  std::erase_if(headers, [&](const auto& h) { return Lower(h.first) == lower; });
  headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string UriDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) out.push_back('/');
  return out;
}

std::string CanonicalQuery(const QueryList& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [key, value] : query) {
    encoded.emplace_back(UriEncode(key, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += key + "=" + value;
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string AmzDate(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &utc);
  return buffer;
}

Signature ComputeSignature(const SigningRequest& request, const SigningParams& params,
                           const Credentials& credentials) {
  Signature sig;
  auto headers = HeadersToSign(request.headers);
  std::string canonical_headers;
  for (const auto& [name, values] : headers) {
    canonical_headers += name + ":";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) canonical_headers.push_back(',');
      canonical_headers += values[i];
    }
    canonical_headers.push_back('\n');
    if (!sig.signed_headers.empty()) sig.signed_headers.push_back(';');
    sig.signed_headers += name;
  }
  sig.canonical_request = request.method + "\n" + CanonicalUri(request, params) + "\n" +
                          CanonicalQuery(request.query) + "\n" + canonical_headers + "\n" +
                          sig.signed_headers + "\n" + request.payload_hash;
  std::string scope = CredentialScope(params);
  sig.string_to_sign = std::string(kAlgorithm) + "\n" + params.amz_date + "\n" + scope + "\n" +
                       Sha256Hex(sig.canonical_request);
  sig.signature = HexEncode(HmacSha256(SigningKey(credentials, params), sig.string_to_sign));
  sig.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      scope + ", SignedHeaders=" + sig.signed_headers +
                      ", Signature=" + sig.signature;
  return sig;
}

Signature Sign(SigningRequest& request, const SigningParams& params,
               const Credentials& credentials) {
  SetHeader(request.headers, "X-Amz-Date", params.amz_date);
  if (!credentials.session_token.empty()) {
    SetHeader(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  if (params.s3_uri_rules) SetHeader(request.headers, "X-Amz-Content-SHA256", request.payload_hash);
  std::erase_if(request.headers, [](const auto& h) { return Lower(h.first) == "authorization"; });
  Signature sig = ComputeSignature(request, params, credentials);
  request.headers.emplace_back("Authorization", sig.authorization);
  return sig;
}

std::string Presign(const std::string& base, const SigningRequest& request,
                    const SigningParams& params, const Credentials& credentials,
                    std::chrono::seconds expires) {
  SigningRequest presigned = request;
  presigned.payload_hash = std::string(kUnsignedPayload);
  std::string signed_headers;
  for (const auto& entry : HeadersToSign(request.headers)) {
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers += entry.first;
  }
  presigned.query.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
  presigned.query.emplace_back("X-Amz-Credential",
                               credentials.access_key_id + "/" + CredentialScope(params));
  presigned.query.emplace_back("X-Amz-Date", params.amz_date);
  presigned.query.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
  presigned.query.emplace_back("X-Amz-SignedHeaders", signed_headers);
  if (!credentials.session_token.empty()) {
    presigned.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  Signature sig = ComputeSignature(presigned, params, credentials);
  presigned.query.emplace_back("X-Amz-Signature", sig.signature);
  std::string url = base + (presigned.path.empty() ? "/" : presigned.path) + "?";
  for (std::size_t i = 0; i < presigned.query.size(); ++i) {
    if (i > 0) url.push_back('&');
    url += UriEncode(presigned.query[i].first, false) + "=" +
           UriEncode(presigned.query[i].second, false);
  }
  return url;
}

}  // namespace reconcile::aws
