// aws_lb_target_group_attachment: one target (an instance id or an IP
// address, with an optional port) registered in a target group. Everything
// forces a replacement. Targets carry no tags: registering is idempotent, so
// an interrupted create is found again as the registered target itself. The
// id is TARGET_GROUP_ARN,TARGET_ID[,PORT] (also what import takes); a refresh
// asks for the targets of each group once.
#include <set>

#include "batch.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/elbv2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("target_group_arn", kString).ForceNew(),
              Attribute::Required("target_id", kString).ForceNew(),
              Attribute::OptionalComputed("port", kNumber).ForceNew(),
              Attribute::Optional("availability_zone", kString).ForceNew(),
          },
          "A target registered in a load balancer target group."};
}

// What the id names.
struct Target {
  std::string group;
  std::string id;
  std::string port;  // "" when none was given
};

Target TargetOf(const std::string& id) {
  Target t;
  std::size_t first = id.find(',');
  t.group = id.substr(0, first);
  if (first == std::string::npos) return t;
  std::size_t second = id.find(',', first + 1);
  t.id = id.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  if (second != std::string::npos) t.port = id.substr(second + 1);
  return t;
}

std::string IdFor(const Value& planned) {
  std::string id = GetString(planned, "target_group_arn") + "," + GetString(planned, "target_id");
  if (auto port = FindInt(planned, "port")) id += "," + std::to_string(*port);
  return id;
}

// A registered target: its group, id and port.
struct Registered {
  std::string group;
  std::string id;
  std::string port;
};

// The registered targets of each group, keyed "GROUP,ID,PORT" and "GROUP,ID"
// (a gone group has none); nullopt on error.
Found<Registered> Lookup(ResourceContext& ctx, const std::vector<std::string>& ids) {
  std::set<std::string> groups;
  for (const std::string& id : ids) groups.insert(TargetOf(id).group);
  std::map<std::string, Registered> found;
  for (const std::string& group : groups) {
    aws::QueryParams params;
    params.Set("TargetGroupArn", group);
    auto described = ElbSend(ctx, "DescribeTargetHealth", params, aws::Idempotency::kIdempotent);
    if (!described.ok() && described.error().IsNotFound()) continue;
    if (!described.ok()) {
      ctx.Fail(described.error());
      return std::nullopt;
    }
    for (const aws::XmlNode& d : described->FindAll("TargetHealthDescriptions/member")) {
      std::string state = d.Text("TargetHealth/State");
      if (state == "draining" || d.Text("TargetHealth/Reason") == "Target.NotRegistered") continue;
      Registered r{group, d.Text("Target/Id"), d.Text("Target/Port")};
      found[group + "," + r.id + "," + r.port] = r;
      found.emplace(group + "," + r.id, r);
    }
  }
  return found;
}

Value ToState(ResourceContext&, const Registered& r, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(IdOf(current)));
  state.Set("target_group_arn", Str(r.group));
  state.Set("target_id", Str(r.id));
  state.Set("port", NumFromText(r.port));
  KeepAttributes(current, state, {"availability_zone"});  // (only "all" for IP targets outside the VPC)
  return state;
}

aws::QueryParams TargetParams(const Target& t, const std::string& zone = {}) {
  aws::QueryParams params;
  params.Set("TargetGroupArn", t.group).Set("Targets.member.1.Id", t.id);
  if (!t.port.empty()) params.Set("Targets.member.1.Port", t.port);
  if (!zone.empty()) params.Set("Targets.member.1.AvailabilityZone", zone);
  return params;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string id = IdFor(planned);
  if (!ElbCall(ctx, "RegisterTargets", TargetParams(TargetOf(id), GetString(planned, "availability_zone")),
               aws::Idempotency::kIdempotent))
    return Value();
  return Value::Map({{"id", Str(id)}});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  Target t = TargetOf(IdOf(prior));
  auto done = ElbSend(ctx, "DeregisterTargets", TargetParams(t), aws::Idempotency::kIdempotent);
  if (!done.ok() && done.error().code != "InvalidTarget") ctx.SucceededOrGone(done);
}

// The target registered already (registering is idempotent: it is this create's).
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string id = IdFor(planned);
  auto found = Lookup(ctx, {id});
  if (!found || !found->contains(id)) return Value();
  return Value::Map({{"id", Str(id)}});
}

Value Import(ResourceContext& ctx, const std::string& id) {
  Target t = TargetOf(id);
  if (t.group.empty() || t.id.empty()) {
    ctx.Error("Cannot import " + ctx.address() + " from \"" + id + "\"",
              "Give the attachment as TARGET_GROUP_ARN,TARGET_ID[,PORT].");
    return Value();
  }
  return Value::Map({{"id", Str(id)}});
}

}  // namespace

ResourceType aws_lb_target_group_attachment() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  UseBatchedReads<Registered>(type, Lookup, ToState);
  type.adopt = Adopt;
  type.import = Import;
  return type;
}

}  // namespace reconcile::aws_provider::resources
