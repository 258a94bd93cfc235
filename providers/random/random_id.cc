// random_id: `byte_length` random bytes shown as base64 (URL-safe and
// standard), hex and decimal, each optionally prefixed.
#include <openssl/bn.h>
#include <openssl/crypto.h>

#include <cmath>

#include "random_resource.h"
#include "reconcile/provider_kit.h"

namespace reconcile::random_provider {

namespace {

using encoding::Base64Alphabet;

// The bytes as an unsigned big-endian decimal number.
std::string Decimal(const std::string& bytes) {
  BIGNUM* number = BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                             static_cast<int>(bytes.size()), nullptr);
  char* text = number ? BN_bn2dec(number) : nullptr;
  std::string out = text ? text : "";
  OPENSSL_free(text);
  BN_free(number);
  return out;
}

// Every computed attribute for `bytes`; config attributes come from `config`.
Value StateFor(Value config, const std::string& bytes, const std::string& prefix) {
  std::string url = encoding::Base64Encode(bytes, Base64Alphabet::kUrl);
  config.Set("byte_length", Value::Number(static_cast<double>(bytes.size())));
  config.Set("id", Value::String(url));
  config.Set("b64_url", Value::String(prefix + url));
  config.Set("b64_std", Value::String(prefix + encoding::Base64Encode(bytes)));
  config.Set("hex", Value::String(prefix + encoding::HexEncode(bytes)));
  config.Set("dec", Value::String(prefix + Decimal(bytes)));
  return config;
}

Diagnostics Validate(const Value& config) {
  Diagnostics diagnostics;
  if (!IsUnknown(config, "byte_length") && GetNumber(config, "byte_length") < 1)
    diagnostics.Error("byte_length must be at least 1");
  return diagnostics;
}

Value Create(const Value& planned, Diagnostics* diagnostics) {
  *diagnostics = Validate(planned);
  if (diagnostics->HasErrors()) return Value();
  std::string bytes;
  if (!encoding::RandomBytes(static_cast<std::size_t>(std::lround(GetNumber(planned, "byte_length"))),
                             &bytes)) {
    diagnostics->Error("The system's random number generator failed");
    return Value();
  }
  return StateFor(planned, bytes, GetString(planned, "prefix"));
}

// "B64URL" or, with a prefix, "PREFIX,B64URL" (Terraform's import ids).
Value Import(const std::string& id, Diagnostics* diagnostics) {
  std::size_t comma = id.rfind(',');
  std::string prefix = comma == std::string::npos ? "" : id.substr(0, comma);
  std::string encoded = comma == std::string::npos ? id : id.substr(comma + 1);
  std::string bytes;
  if (encoded.empty() || !encoding::Base64Decode(encoded, &bytes)) {
    diagnostics->Error("Cannot import random_id \"" + id + "\"",
                       "The id is the URL-safe base64 of the bytes (the b64_url attribute without "
                       "its prefix), optionally preceded by \"PREFIX,\".");
    return Value();
  }
  Value config = Value::Map({});
  if (!prefix.empty()) config.Set("prefix", Value::String(prefix));
  return StateFor(config, bytes, prefix);
}

}  // namespace

ResourceType RandomIdType() {
  ResourceType type;
  type.schema.description = "Random bytes, shown in several encodings; suits unique names.";
  type.schema.attributes = {
      Attribute::Required("byte_length", AttributeType::kNumber)
          .ForceNew()
          .Describe("Number of random bytes."),
      Attribute::Optional("prefix", AttributeType::kString)
          .ForceNew()
          .Describe("Text put before b64_url, b64_std, hex and dec."),
      Attribute::Optional("keepers", AttributeType::kMap)
          .Of(AttributeType::kString)
          .ForceNew()
          .Describe("Arbitrary values; changing any generates new bytes."),
      Attribute::Computed("id", AttributeType::kString).Describe("URL-safe base64, no prefix."),
      Attribute::Computed("b64_url", AttributeType::kString),
      Attribute::Computed("b64_std", AttributeType::kString),
      Attribute::Computed("hex", AttributeType::kString),
      Attribute::Computed("dec", AttributeType::kString),
  };
  type.validate = Validate;
  type.create = Create;
  type.import = Import;
  return type;
}

}  // namespace reconcile::random_provider
