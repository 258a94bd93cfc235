// aws_key_pair: an EC2 key pair imported from a public key. Everything but
// the tags forces replacement. Its id is the key name (key_name, else
// key_name_prefix or "reconcile-" with a suffix from the client token, so a
// retried create asks for the same name); a taken name is adopted only when
// the key pair holding it carries this instance's ownership tags. Import
// takes the key name.
#include <algorithm>

#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kKeyPair{"DescribeKeyPairs", "keySet/item", "keyName", "key-name", "key-pair"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("key_name", kString).ForceNew(),
              Attribute::Optional("key_name_prefix", kString).ForceNew(),
              Attribute::Required("public_key", kString).ForceNew(),
              Attribute::Computed("key_pair_id", kString),
              Attribute::Computed("key_type", kString),
              Attribute::Computed("fingerprint", kString),
              Attribute::Computed("arn", kString),
          },
          "An EC2 key pair (an imported public key)."};
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& key, const Value& current) {
  std::string name = key.Text("keyName");
  std::string key_id = key.Text("keyPairId");
  Value state = Value::Map({});
  state.Set("id", Str(name));
  state.Set("key_name", Str(name));
  state.Set("key_pair_id", Str(key_id));
  state.Set("key_type", StrOrNull(key.Text("keyType")));
  state.Set("fingerprint", Str(key.Text("keyFingerprint")));
  state.Set("arn", Str(ctx.Arn("ec2", ctx.AccountId(), "key-pair/" + name)));
  KeepAttributes(current, state, {"key_name_prefix", "public_key"});
  // The public key as AWS holds it, for an import (ours otherwise: AWS may reformat it).
  if (!IsSet(current, "public_key")) state.Set("public_key", StrOrNull(key.Text("publicKey")));
  SetEc2Tags(ctx, key, current, state);
  return state;
}

// The key pairs of the given names with their public keys, keyed by name.
Found<aws::XmlNode> DescribeKeys(ResourceContext& ctx, const std::vector<std::string>& names) {
  std::map<std::string, aws::XmlNode> out;
  for (const std::vector<std::string>& chunk : Chunks(names, kEc2MaxFilterValues)) {
    aws::QueryParams params;
    params.SetEc2Filters({{"key-name", chunk}}).SetBool("IncludePublicKey", true);
    auto doc = Ec2Call(ctx, "DescribeKeyPairs", params);
    if (!doc) return std::nullopt;
    for (const aws::XmlNode& key : doc->root().FindAll(kKeyPair.item_path))
      out[key.Text("keyName")] = key;
  }
  return out;
}

std::string KeyName(const ResourceContext& ctx, const Value& planned) {
  if (auto name = FindString(planned, "key_name")) return *name;
  return FindString(planned, "key_name_prefix").value_or("reconcile-") + ctx.ClientToken(26);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = KeyName(ctx, planned);
  aws::QueryParams params;
  params.Set("KeyName", name)
      .Set("PublicKeyMaterial", encoding::Base64Encode(GetString(planned, "public_key")))
      .SetEc2TagSpecification(kKeyPair.tag_type, ctx.TagsForCreate(planned));
  auto created = Ec2Send(ctx, "ImportKeyPair", params, aws::Idempotency::kNotIdempotent);
  if (!CreatedOrAdopted(ctx, created, "InvalidKeyPair.Duplicate", {"key pair", name},
                        [&]() -> std::optional<TagMap> {
                          auto key = Ec2DescribeOne(ctx, kKeyPair, name);
                          if (!key || !key->valid()) return std::nullopt;
                          return Ec2Tags(*key);
                        }))
    return Value();
  return Value::Map({{"id", Str(name)}});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("KeyName", IdOf(prior));
  ctx.SucceededOrGone(Ec2Send(ctx, "DeleteKeyPair", params, aws::Idempotency::kIdempotent));
}

}  // namespace

ResourceType aws_key_pair() {
  ResourceType type = Ec2Type(kKeyPair, Schema(), ToState, Create, nullptr, Delete, DescribeKeys);
  // Tags go on the key pair's id, not its name.
  type.update_tags = [](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    Ec2UpdateTags(ctx, GetString(state, "key_pair_id"), changes);
  };
  // A name generated from the token, or the configured one, when its holder is this instance's.
  type.adopt = [](ResourceContext& ctx, const Value& planned) -> Value {
    std::string name = KeyName(ctx, planned);
    bool ours = HolderIsOurs(ctx, [&]() -> std::optional<TagMap> {
      auto key = Ec2DescribeOne(ctx, kKeyPair, name);
      if (!key || !key->valid()) return std::nullopt;
      return Ec2Tags(*key);
    });
    return ours ? Value::Map({{"id", Str(name)}}) : Value();
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
