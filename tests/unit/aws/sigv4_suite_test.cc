// Given AWS's SigV4 test-suite cases (kept under sigv4/<case>/, expected values
// cross-checked with botocore by sigv4_botocore.py), when we sign the request,
// then the canonical request, string to sign and signature are exactly the expected ones.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "aws/credentials.h"
#include "aws/sigv4.h"

namespace reconcile::aws {
namespace {

namespace fs = std::filesystem;

const Credentials kSuiteCredentials{.access_key_id = "AKIDEXAMPLE",
                                    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The case directory; compiled in because tests are listed before CTest sets the environment.
fs::path SuiteDir() { return fs::path(RECONCILE_AWS_TEST_DIR) / "sigv4"; }

// Parses the suite's request.txt: request line, headers (indented lines
// continue the previous value), blank line, body.
SigningRequest ParseSuiteRequest(const std::string& text, std::string* body) {
  std::size_t head_end = text.find("\n\n");
  std::string head = text.substr(0, head_end);
  *body = head_end == std::string::npos ? "" : text.substr(head_end + 2);
  std::istringstream lines(head);
  std::string line;
  std::getline(lines, line);
  SigningRequest request;
  request.method = line.substr(0, line.find(' '));
  std::string target = line.substr(line.find(' ') + 1, line.rfind(" HTTP/") - line.find(' ') - 1);
  request.path = target.substr(0, target.find('?'));
  if (target.find('?') != std::string::npos) {
    std::istringstream pairs(target.substr(target.find('?') + 1));
    std::string pair;
    while (std::getline(pairs, pair, '&')) {
      std::size_t eq = pair.find('=');
      request.query.emplace_back(UriDecode(pair.substr(0, eq)),
                                 eq == std::string::npos ? "" : UriDecode(pair.substr(eq + 1)));
    }
  }
  while (std::getline(lines, line)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().second += "\n" + line;
      continue;
    }
    std::size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return request;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(SuiteDir(), error)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class SigV4SuiteTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4SuiteTest, MatchesExpectedCanonicalRequestStringToSignAndSignature) {
  // Given
  fs::path dir = SuiteDir() / GetParam();
  std::string body;
  SigningRequest request = ParseSuiteRequest(ReadFile(dir / "request.txt"), &body);
  bool s3 = ReadFile(dir / "options.txt").find("service=s3") != std::string::npos;
  const std::string* content_hash = nullptr;
  for (const auto& [name, value] : request.headers) {
    if (name == "X-Amz-Content-SHA256") content_hash = &value;
  }
  request.payload_hash = content_hash != nullptr ? *content_hash : Sha256Hex(body);
  SigningParams params{.region = "us-east-1", .service = s3 ? "s3" : "service",
                       .amz_date = "20150830T123600Z", .s3_uri_rules = s3};
  // When
  Signature signature = ComputeSignature(request, params, kSuiteCredentials);
  // Then
  EXPECT_EQ(signature.canonical_request, ReadFile(dir / "canonical.txt"));
  EXPECT_EQ(signature.string_to_sign, ReadFile(dir / "sts.txt"));
  EXPECT_EQ(signature.signature, ReadFile(dir / "signature.txt"));
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4SuiteTest, ::testing::ValuesIn(CaseNames()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(SigV4Test, VanillaGetMatchesThePublishedSignature) {
  // Given the suite's get-vanilla request
  SigningRequest request{.method = "GET", .path = "/",
                         .headers = {{"Host", "example.amazonaws.com"}},
                         .payload_hash = Sha256Hex("")};
  SigningParams params{.region = "us-east-1", .service = "service", .amz_date = "20150830T123600Z"};
  // When Sign adds X-Amz-Date and Authorization
  Signature signature = Sign(request, params, kSuiteCredentials);
  // Then the Authorization header is the one AWS publishes for this case
  EXPECT_EQ(signature.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  ASSERT_EQ(request.headers.size(), 3u);
  EXPECT_EQ(request.headers[1], (std::pair<std::string, std::string>{"X-Amz-Date", "20150830T123600Z"}));
  EXPECT_EQ(request.headers[2].first, "Authorization");
}

TEST(SigV4Test, SignAddsSessionTokenAndS3ContentHashHeaders) {
  // Given temporary credentials and an S3 request with an unsigned payload
  Credentials temporary = kSuiteCredentials;
  temporary.session_token = "token/with+chars=";
  SigningRequest request{.method = "PUT", .path = "/bucket/key",
                         .headers = {{"Host", "s3.us-east-1.amazonaws.com"}},
                         .payload_hash = std::string(kUnsignedPayload)};
  SigningParams params{.region = "us-east-1", .service = "s3", .amz_date = "20150830T123600Z",
                       .s3_uri_rules = true};
  // When
  Signature signature = Sign(request, params, temporary);
  // Then the token and the content hash are sent and signed
  EXPECT_EQ(signature.signed_headers, "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  EXPECT_NE(signature.canonical_request.find("x-amz-security-token:token/with+chars=\n"),
            std::string::npos);
  EXPECT_TRUE(signature.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
}

TEST(SigV4Test, PresignedUrlCarriesTheSignatureInTheQuery) {
  // Given the example of AWS's S3 query-string authentication documentation
  SigningRequest request{.method = "GET", .path = "/test.txt",
                         .headers = {{"host", "examplebucket.s3.amazonaws.com"}}};
  SigningParams params{.region = "us-east-1", .service = "s3", .amz_date = "20130524T000000Z",
                       .s3_uri_rules = true};
  Credentials documented{.access_key_id = "AKIAIOSFODNN7EXAMPLE",
                         .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
  // When
  std::string url = Presign("https://examplebucket.s3.amazonaws.com", request, params, documented,
                            std::chrono::seconds(86400));
  // Then (signature cross-checked with botocore's SigV4QueryAuth)
  EXPECT_EQ(url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4Test, UriEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(UriEncode("a b/c~d_e.f-g+h=i&j%", false), "a%20b%2Fc~d_e.f-g%2Bh%3Di%26j%25");
  EXPECT_EQ(UriEncode("/env:/ws/state.json", true), "/env%3A/ws/state.json");
  EXPECT_EQ(UriEncode("\xe1\x88\xb4", false), "%E1%88%B4");
  EXPECT_EQ(UriDecode("a%20b%2fc+d%zz"), "a b/c+d%zz");
}

TEST(SigV4Test, NormalizePathRemovesDotsAndEmptySegments) {
  EXPECT_EQ(NormalizePath(""), "/");
  EXPECT_EQ(NormalizePath("//example//"), "/example/");
  EXPECT_EQ(NormalizePath("/a/b/../c/./d"), "/a/c/d");
  EXPECT_EQ(NormalizePath("/../.."), "/");
}

}  // namespace
}  // namespace reconcile::aws
