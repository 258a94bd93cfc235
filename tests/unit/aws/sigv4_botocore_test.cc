// Given randomized requests (odd paths, UTF-8 and reserved characters in query
// keys and values, duplicate and mixed-case headers, runs of spaces, session
// tokens, S3 and non-S3 rules), when signed by us and by botocore, then the
// canonical requests and signatures are identical.
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aws/credentials.h"
#include "aws/sigv4.h"
#include "support/temp_dir.h"

namespace reconcile::aws {
namespace {

using nlohmann::json;

class RandomRequests {
 public:
  explicit RandomRequests(unsigned seed) : random_(seed) {}

  json Next() {
    bool s3 = Pick({false, false, true});
    std::string service = s3 ? "s3" : Pick<std::string>({"service", "ec2", "dynamodb", "iam"});
    std::string body = Text(Int(0, 3) == 0 ? 0 : Int(1, 200), kPrintable);
    json headers = json::array({{"Host", Pick<std::string>({"example.amazonaws.com",
                                                            "127.0.0.1:4566", "b.s3.amazonaws.com"})}});
    AddRandomHeaders(headers);
    if (s3) {
      headers.push_back({"X-Amz-Content-SHA256", Int(0, 1) ? std::string(kUnsignedPayload) : Sha256Hex(body)});
    }
    if (Int(0, 2) == 0) headers.push_back({"X-Amz-Security-Token", Text(Int(20, 60), kTokenChars)});
    return json{{"method", Pick<std::string>({"GET", "POST", "PUT", "DELETE", "HEAD"})},
                {"path", Path(s3)}, {"query", Query()}, {"headers", headers}, {"body", body},
                {"service", service}, {"region", Pick<std::string>({"us-east-1", "eu-west-3", "ap-south-1"})},
                {"amz_date", Date()}, {"access_key", "AKID" + Text(16, kUpperDigits)},
                {"secret_key", Text(40, kTokenChars)}, {"s3", s3}};
  }

 private:
  static constexpr std::string_view kPrintable =
      " !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~";
  static constexpr std::string_view kTokenChars = "ABCDEFGHabcdefgh0123456789+/=";
  static constexpr std::string_view kUpperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static constexpr std::string_view kNameChars = "abcXYZ019-";

  int Int(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  template <typename T>
  T Pick(std::initializer_list<T> options) {
    return *(options.begin() + Int(0, static_cast<int>(options.size()) - 1));
  }
  std::string Text(int length, std::string_view alphabet) {
    std::string out;
    for (int i = 0; i < length; ++i) out.push_back(alphabet[Int(0, static_cast<int>(alphabet.size()) - 1)]);
    return out;
  }
  // Printable ASCII plus some UTF-8 (é, ሴ, 😀).
  std::string Unicode(int length) {
    std::string out;
    for (int i = 0; i < length; ++i) {
      switch (Int(0, 9)) {
        case 0: out += "\xc3\xa9"; break;
        case 1: out += "\xe1\x88\xb4"; break;
        case 2: out += "\xf0\x9f\x98\x80"; break;
        default: out += Text(1, kPrintable);
      }
    }
    return out;
  }
  std::string Path(bool s3) {
    std::string path;
    int segments = Int(0, 4);
    for (int i = 0; i < segments; ++i) {
      std::string segment = Pick<std::string>({"", ".", "..", "x"}) == "x" || s3
                                ? UriEncode(Unicode(Int(1, 8)), false)
                                : Pick<std::string>({"", ".", ".."});
      path += "/" + segment;
    }
    if (path.empty() || Int(0, 3) == 0) path += "/";
    return path;
  }
  json Query() {
    json query = json::array();
    int count = Int(0, 5);
    for (int i = 0; i < count; ++i) {
      std::string key = Int(0, 4) == 0 && !query.empty() ? query.back()[0].get<std::string>() : Unicode(Int(1, 6));
      query.push_back({key, Unicode(Int(0, 8))});
    }
    return query;
  }
  void AddRandomHeaders(json& headers) {
    int count = Int(0, 5);
    for (int i = 0; i < count; ++i) {
      std::string name = Pick<std::string>({"X-Amz-Meta-", "My-", "x-amz-", "Content-Type", "User-Agent"});
      if (name.back() == '-') name += Text(Int(1, 6), kNameChars);
      std::string value = Text(Int(0, 3), " \t") + Text(Int(0, 20), kPrintable) + Text(Int(0, 3), " ");
      headers.push_back({name, value});
      if (Int(0, 4) == 0) headers.push_back({name, Text(Int(1, 10), kPrintable)});
    }
  }
  std::string Date() {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "20%02d%02d%02dT%02d%02d%02dZ", Int(10, 30), Int(1, 12),
                  Int(1, 28), Int(0, 23), Int(0, 59), Int(0, 59));
    return buffer;
  }

  std::mt19937 random_;
};

Signature SignWithOurs(const json& r) {
  SigningRequest request{.method = r["method"], .path = r["path"]};
  for (const auto& q : r["query"]) request.query.emplace_back(q[0], q[1]);
  std::string content_hash;
  for (const auto& h : r["headers"]) {
    request.headers.emplace_back(h[0], h[1]);
    if (h[0] == "X-Amz-Content-SHA256") content_hash = h[1];
  }
  request.payload_hash = content_hash.empty() ? Sha256Hex(r["body"].get<std::string>()) : content_hash;
  SigningParams params{.region = r["region"], .service = r["service"], .amz_date = r["amz_date"],
                       .s3_uri_rules = r["s3"]};
  Credentials credentials{.access_key_id = r["access_key"], .secret_access_key = r["secret_key"]};
  return ComputeSignature(request, params, credentials);
}

TEST(SigV4BotocoreTest, RandomRequestsSignIdenticallyToBotocore) {
  // Given 500 random requests written for the botocore signer
  constexpr int kRequests = 500;
  reconcile::testing::TempDir dir;
  RandomRequests generator(20150830);
  std::vector<json> requests;
  std::ofstream input(dir.path() + "/requests.jsonl");
  for (int i = 0; i < kRequests; ++i) {
    requests.push_back(generator.Next());
    input << requests.back().dump() << "\n";
  }
  input.close();
  // When botocore signs them
  std::string script = std::string(RECONCILE_AWS_TEST_DIR) + "/sigv4_botocore.py";
  std::string command = "python3 '" + script + "' sign < '" + dir.path() + "/requests.jsonl' > '" +
                        dir.path() + "/signatures.jsonl'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  // Then every canonical request and signature of ours is identical
  std::ifstream output(dir.path() + "/signatures.jsonl");
  std::string line;
  int compared = 0;
  while (std::getline(output, line) && compared < kRequests) {
    json expected = json::parse(line);
    Signature ours = SignWithOurs(requests[compared]);
    ASSERT_EQ(ours.canonical_request, expected["canonical"].get<std::string>())
        << "request " << compared << ": " << requests[compared].dump();
    ASSERT_EQ(ours.signature, expected["signature"].get<std::string>()) << "request " << compared;
    ++compared;
  }
  EXPECT_EQ(compared, kRequests);
}

}  // namespace
}  // namespace reconcile::aws
