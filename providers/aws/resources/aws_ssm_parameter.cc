// aws_ssm_parameter: a Systems Manager parameter (String, StringList or
// SecureString; the value is sensitive). A refresh reads values 10 names a
// call (GetParameters), tags in bulk (Tagging API), and the metadata
// (DescribeParameters) only of parameters whose version moved: every change
// of value, type, description, tier, key or pattern makes a new version. A
// create is not read back: PutParameter's request and response (version,
// tier) are the whole state, except the default key of a SecureString.
// value_wo (write-only, docs/secrets.md) is sent instead of value and never
// recorded: only value_wo_version is, and a new version writes it again.
#include <atomic>
#include <thread>

#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/json_call.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

constexpr std::size_t kNamesPerGet = 10;
constexpr std::size_t kParallelGets = 8;
constexpr std::size_t kNamesPerDescribe = 50;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("name", kString).ForceNew(),
              Attribute::Required("type", kString).OneOf({"String", "StringList", "SecureString"}),
              Attribute::Optional("value", kString).Sensitive(),
              Attribute::Optional("value_wo", kString).WriteOnly().Describe("the value, never stored"),
              Attribute::Optional("value_wo_version", kNumber).Describe("a new version writes value_wo again"),
              Attribute::Optional("description", kString),
              Attribute::OptionalComputed("tier", kString)
                  .OneOf({"Standard", "Advanced", "Intelligent-Tiering"}),
              Attribute::OptionalComputed("key_id", kString),
              Attribute::Optional("allowed_pattern", kString),
              Attribute::OptionalComputed("data_type", kString)
                  .ForceNew()
                  .OneOf({"text", "aws:ec2:image", "aws:ssm:integration"}),
              Attribute::Computed("arn", kString),
              Attribute::Computed("version", kNumber),
          },
          "A Systems Manager parameter."};
}

// The attributes PutParameter writes; a change of any makes a new version.
const std::vector<std::string> kVersioned = {"value", "value_wo_version", "type", "description", "tier",
                                             "key_id", "allowed_pattern", "data_type"};

// The value is write-only: it was given as value_wo, and only its version is kept.
bool WriteOnlyValue(const Value& object) { return IsSet(object, "value_wo_version") || IsSet(object, "value_wo"); }

// What AWS says about one parameter.
struct ParameterFacts {
  json parameter;  // from GetParameters
  json metadata;   // from DescribeParameters (null when not read)
  TagMap tags;
};

// Values 10 names a call, kParallelGets calls at a time (a refresh of
// thousands of parameters is hundreds of calls).
bool GetValues(ResourceContext& ctx, const std::vector<std::string>& names,
               std::map<std::string, ParameterFacts>& out) {
  const std::vector<std::vector<std::string>> chunks = Chunks(names, kNamesPerGet);
  std::vector<std::optional<json>> pages(chunks.size());
  std::vector<Diagnostics> failures(chunks.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < chunks.size(); i = next++) {
      ResourceContext call(ctx.runtime(), ctx.address());
      pages[i] = JsonCall(call, "ssm", "GetParameters", {{"Names", chunks[i]}, {"WithDecryption", true}});
      failures[i] = call.diagnostics();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < std::min(kParallelGets, chunks.size()); ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  bool ok = true;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    ctx.diagnostics().Append(failures[i]);
    if (!pages[i]) {
      ok = false;
      continue;
    }
    for (const json& p : pages[i]->value("Parameters", json::array())) out[JsonString(p, "Name")].parameter = p;
  }
  return ok;
}

bool DescribeMetadata(ResourceContext& ctx, const std::vector<std::string>& names,
                      std::map<std::string, ParameterFacts>& out) {
  for (const auto& chunk : Chunks(names, kNamesPerDescribe)) {
    json request = {{"ParameterFilters", {{{"Key", "Name"}, {"Option", "Equals"}, {"Values", chunk}}}},
                    {"MaxResults", 50}};
    while (true) {
      auto page = JsonCall(ctx, "ssm", "DescribeParameters", request);
      if (!page) return false;
      for (const json& p : page->value("Parameters", json::array())) {
        auto it = out.find(JsonString(p, "Name"));
        if (it != out.end()) it->second.metadata = p;
      }
      std::string token = JsonString(*page, "NextToken");
      if (token.empty()) break;
      request["NextToken"] = token;
    }
  }
  return true;
}

// The parameter's ARN: as AWS gave it, else built with `account`.
std::string ArnOf(const ResourceContext& ctx, const json& parameter, const std::string& account = "") {
  std::string arn = JsonString(parameter, "ARN");
  if (!arn.empty()) return arn;
  std::string name = JsonString(parameter, "Name");
  return ctx.Arn("ssm", account, name.starts_with("/") ? "parameter" + name : "parameter/" + name);
}

Value ToState(ResourceContext& ctx, const ParameterFacts& facts, const Value& current) {
  const json& p = facts.parameter;
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(p, "Name")));
  state.Set("name", Str(JsonString(p, "Name")));
  state.Set("type", Str(JsonString(p, "Type")));
  state.Set("value", WriteOnlyValue(current) ? Value() : Str(JsonString(p, "Value")).MarkedSensitive());
  if (WriteOnlyValue(current)) KeepAttributes(current, state, {"value_wo_version"});
  state.Set("version", Num(p.value("Version", 0.0)));
  state.Set("arn", Str(ArnOf(ctx, p)));
  state.Set("data_type", StrOrNull(JsonString(p, "DataType")));
  if (facts.metadata.is_object()) {
    const json& m = facts.metadata;
    state.Set("description", StrOrNull(JsonString(m, "Description")));
    state.Set("tier", StrOrNull(JsonString(m, "Tier")));
    state.Set("key_id", StrOrNull(JsonString(m, "KeyId")));
    state.Set("allowed_pattern", StrOrNull(JsonString(m, "AllowedPattern")));
  } else {
    KeepAttributes(current, state, {"description", "tier", "key_id", "allowed_pattern"});
  }
  SetTagsFromAws(facts.tags, ctx.runtime().default_tags, current, state);
  return state;
}

// The tags of the parameters named, keyed by ARN. One parameter (the read
// after a create or update) by ListTagsForResource: one call, as GetResources
// is on AWS, and emulators that ignore GetResources' ARN list (moto) answer it
// without paging through every tagged resource. Many through the Tagging API.
std::optional<std::map<std::string, TagMap>> ReadTags(ResourceContext& ctx,
                                                      const std::vector<std::string>& names,
                                                      const std::vector<std::string>& arns) {
  if (names.size() != 1) return ReadTagsByArn(ctx, arns);
  auto listed = JsonCall(ctx, "ssm", "ListTagsForResource",
                         {{"ResourceType", "Parameter"}, {"ResourceId", names[0]}});
  if (!listed) return std::nullopt;
  return std::map<std::string, TagMap>{{arns[0], TagMapFromJson(listed->value("TagList", json::array()))}};
}

// What AWS says about every requested parameter, in few calls; see the file comment.
Found<ParameterFacts> LookupParameters(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  std::map<std::string, ParameterFacts> found;
  bool ok = GetValues(ctx, RequestKeys(requests), found);
  std::vector<std::string> stale;
  std::vector<std::string> existing;
  std::vector<std::string> arns;
  for (const ReadRequest& r : requests) {
    auto it = found.find(IdOf(r.current_state));
    if (it == found.end()) continue;
    auto known = FindInt(r.current_state, "version");
    if (!known || *known != it->second.parameter.value("Version", 0LL)) stale.push_back(it->first);
    existing.push_back(it->first);
    arns.push_back(ArnOf(ctx, it->second.parameter));
  }
  if (!ok || !DescribeMetadata(ctx, stale, found)) return std::nullopt;
  auto tags = ReadTags(ctx, existing, arns);
  if (!tags) return std::nullopt;
  for (auto& [name, facts] : found) facts.tags = (*tags)[ArnOf(ctx, facts.parameter)];
  return found;
}

std::vector<ReadResponse> ReadParameters(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, LookupParameters(ctx, requests), ToState);
}

Value Read(ResourceContext& ctx, const Value& current) {
  return ReadThroughBatch(ctx, current, ReadParameters);
}

json PutRequest(const Value& planned) {
  json request = {{"Name", GetString(planned, "name")},
                  {"Type", GetString(planned, "type")},
                  {"Value", IsSet(planned, "value_wo") ? GetString(planned, "value_wo") : GetString(planned, "value")}};
  const std::pair<const char*, const char*> optional[] = {
      {"description", "Description"}, {"tier", "Tier"}, {"key_id", "KeyId"},
      {"allowed_pattern", "AllowedPattern"}, {"data_type", "DataType"}};
  for (const auto& [attribute, field] : optional)
    if (auto v = FindString(planned, attribute)) request[field] = *v;
  return request;
}

// The tags of the parameter named `name`; nullopt when there is none.
std::optional<TagMap> ParameterTags(ResourceContext& ctx, const std::string& name) {
  auto listed = ctx.client().Json("ssm", "ListTagsForResource",
                                  {{"ResourceType", "Parameter"}, {"ResourceId", name}});
  if (listed.ok()) return TagMapFromJson(listed->value("TagList", json::array()));
  if (!listed.error().IsNotFound() && !listed.error().Is("InvalidResourceId")) ctx.Fail(listed.error());
  return std::nullopt;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "name");
  json request = PutRequest(planned);
  request["Tags"] = TagListJson(ctx.TagsForCreate(planned));
  auto put = ctx.client().Json("ssm", "PutParameter", request, {.idempotency = aws::Idempotency::kNotIdempotent});
  // A create that landed before a lost answer left this instance's parameter behind.
  if (!CreatedOrAdopted(ctx, put, "ParameterAlreadyExists", {"SSM parameter", name},
                        [&] { return ParameterTags(ctx, name); }))
    return Value();
  // An adopted parameter is read back. So is one whose key is the account's
  // default (none was named; only a read says which), and one whose ARN
  // cannot be built (the account id lookup failed: the read has the ARN; the
  // parameter exists, so the lookup's error must not fail the create).
  Value id_only = Value::Map({{"id", Str(name)}});
  if (!put.ok()) return id_only;
  if (GetString(planned, "type") == "SecureString" && !FindString(planned, "key_id")) return id_only;
  ResourceContext lookup(ctx.runtime(), ctx.address());
  const std::string account = lookup.AccountId();
  if (account.empty()) return id_only;
  ParameterFacts facts;
  facts.parameter = {{"Name", request["Name"]}, {"Type", request["Type"]}, {"Value", request["Value"]},
                     {"Version", put->value("Version", 1.0)},
                     {"DataType", request.value("DataType", std::string("text"))}};
  facts.parameter["ARN"] = ArnOf(ctx, facts.parameter, account);
  facts.metadata = {{"Tier", put->value("Tier", request.value("Tier", std::string("Standard")))}};
  for (const char* field : {"Description", "KeyId", "AllowedPattern"})
    if (request.contains(field)) facts.metadata[field] = request[field];
  facts.tags = ctx.TagsForCreate(planned);
  Value state = ToState(ctx, facts, planned);
  if (!ctx.failed()) ctx.set_state_complete();
  return state;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  bool changed = false;
  for (const std::string& key : kVersioned) changed = changed || Changed(prior, planned, key);
  if (!changed) return;
  json request = PutRequest(planned);
  request["Overwrite"] = true;
  JsonCall(ctx, "ssm", "PutParameter", request, aws::Idempotency::kIdempotent);
}

void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  json target = {{"ResourceType", "Parameter"}, {"ResourceId", IdOf(state)}};
  if (!changes.remove.empty()) {
    json request = target;
    request["TagKeys"] = changes.remove;
    if (!JsonCall(ctx, "ssm", "RemoveTagsFromResource", request, aws::Idempotency::kIdempotent)) return;
  }
  if (!changes.set.empty()) {
    json request = target;
    request["Tags"] = TagListJson(changes.set);
    JsonCall(ctx, "ssm", "AddTagsToResource", request, aws::Idempotency::kIdempotent);
  }
}

void Delete(ResourceContext& ctx, const Value& prior) {
  ctx.SucceededOrGone(ctx.client().Json("ssm", "DeleteParameter", {{"Name", IdOf(prior)}},
                                        {.idempotency = aws::Idempotency::kIdempotent}));
}

// A parameter of the planned name that is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "name");
  return HolderIsOurs(ctx, [&] { return ParameterTags(ctx, name); }) ? Value::Map({{"id", Str(name)}})
                                                                      : Value();
}

// Any versioned change makes a new version; a new type may bring a new key.
void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  // Configured (an unknown value, known after apply, counts).
  auto given = [&](const char* key) {
    const Value* v = request.config.Find(key);
    return v != nullptr && !v->is_null();
  };
  if (given("value") == given("value_wo"))
    ctx.Error("Exactly one of value and value_wo must be set",
              "value is stored in the state; value_wo (with value_wo_version) is sent to AWS and never stored.");
  if (given("value_wo") && !given("value_wo_version"))
    ctx.Error("value_wo needs value_wo_version",
              "Set value_wo_version = 1, and raise it whenever value_wo should be written again.");
  if (request.prior_state.is_null()) return;
  Value& planned = response.planned_state;
  bool changed = false;
  for (const std::string& key : kVersioned) changed = changed || Changed(request.prior_state, planned, key);
  if (changed) planned.Set("version", Value::Unknown());
  if (Changed(request.prior_state, planned, "type") && !IsSet(request.config, "key_id"))
    planned.Set("key_id", Value::Unknown());
}

}  // namespace

ResourceType aws_ssm_parameter() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadParameters;
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
