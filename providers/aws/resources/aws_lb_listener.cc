// aws_lb_listener: a port of a load balancer and what it does with requests
// (forward to a target group, redirect, or a fixed response); HTTPS and TLS
// listeners take a certificate and an SSL policy. Everything but the balancer
// changes in place (ModifyListener). A listener has no name: an interrupted
// create is found again among the balancer's listeners by its ownership
// tags. The id is the ARN; a refresh lists the listeners of each balancer
// once.
#include <set>

#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/elbv2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("load_balancer_arn", kString).ForceNew(),
              Attribute::Optional("port", kNumber),
              Attribute::OptionalComputed("protocol", kString),
              Attribute::OptionalComputed("ssl_policy", kString),
              Attribute::Optional("certificate_arn", kString),
              Attribute::Required("default_action", kList).Block(ElbActionFields()),
              Attribute::Computed("arn", kString),
          },
          "A load balancer listener."};
}

struct Listener {
  aws::XmlNode node;
  TagMap tags;
};

Value ToState(ResourceContext& ctx, const Listener& listener, const Value& current) {
  const aws::XmlNode& n = listener.node;
  std::string arn = n.Text("ListenerArn");
  Value state = Value::Map({});
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  state.Set("load_balancer_arn", Str(n.Text("LoadBalancerArn")));
  state.Set("port", NumFromText(n.Text("Port")));
  state.Set("protocol", StrOrNull(n.Text("Protocol")));
  std::string protocol = n.Text("Protocol");
  // (moto reports its default SSL policy on plain HTTP listeners too)
  state.Set("ssl_policy", protocol == "HTTPS" || protocol == "TLS" ? StrOrNull(n.Text("SslPolicy")) : Value());
  state.Set("certificate_arn", StrOrNull(n.Text("Certificates/member/CertificateArn")));
  state.Set("default_action", ElbActionsState(n.Child("DefaultActions")));
  SetTagsFromAws(listener.tags, ctx.runtime().default_tags, current, state);
  return state;
}

// The listeners of a balancer (none when it is gone); nullopt on error.
std::optional<std::vector<aws::XmlNode>> ListenersOf(ResourceContext& ctx, const std::string& lb_arn) {
  aws::QueryParams params;
  params.Set("LoadBalancerArn", lb_arn);
  return ElbDescribeAll(ctx, "DescribeListeners", params, "Listeners/member", true);
}

// A listener's key in a lookup: its balancer and ARN.
std::string BalancerAndArn(const Value& state) {
  return GetString(state, "load_balancer_arn") + "\n" + IdOf(state);
}

// The listeners of every request, one DescribeListeners per balancer.
Found<Listener> Lookup(ResourceContext& ctx, const std::vector<ReadRequest>& requests) {
  std::set<std::string> balancers;
  for (const ReadRequest& r : requests) balancers.insert(GetString(r.current_state, "load_balancer_arn"));
  std::map<std::string, Listener> found;
  std::vector<std::string> arns;
  for (const std::string& lb : balancers) {
    if (lb.empty()) continue;  // (imported: read by ARN)
    auto listeners = ListenersOf(ctx, lb);
    if (!listeners) return std::nullopt;
    for (const aws::XmlNode& node : *listeners) {
      arns.push_back(node.Text("ListenerArn"));
      found[lb + "\n" + arns.back()].node = node;
    }
  }
  auto tags = ElbTags(ctx, arns);
  if (!tags) return std::nullopt;
  for (auto& [key, listener] : found) listener.tags = (*tags)[listener.node.Text("ListenerArn")];
  return found;
}

// A listener known by its ARN alone (an import): read through DescribeListeners by ARN.
Value ReadByArn(ResourceContext& ctx, const Value& current) {
  aws::QueryParams params;
  params.SetList("ListenerArns", {IdOf(current)}, aws::ListStyle::kMember);
  auto described = ElbDescribeAll(ctx, "DescribeListeners", params, "Listeners/member", true);
  if (!described || described->empty()) return Value();
  auto tags = ElbTags(ctx, {IdOf(current)});
  if (!tags) return Value();
  return ToState(ctx, {described->front(), (*tags)[IdOf(current)]}, current);
}

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, Lookup(ctx, requests), ToState, BalancerAndArn, ReadByArn);
}

Value Read(ResourceContext& ctx, const Value& current) {
  return IsSet(current, "load_balancer_arn") ? ReadThroughBatch(ctx, current, ReadBatch) : ReadByArn(ctx, current);
}

// Port, protocol, certificate, policy and actions, as CreateListener and ModifyListener take them.
aws::QueryParams ListenerParams(const Value& planned) {
  aws::QueryParams params;
  if (auto port = FindInt(planned, "port")) params.SetInt("Port", *port);
  if (auto protocol = FindString(planned, "protocol")) params.Set("Protocol", *protocol);
  if (auto policy = FindString(planned, "ssl_policy")) params.Set("SslPolicy", *policy);
  if (auto certificate = FindString(planned, "certificate_arn"))
    params.Set("Certificates.member.1.CertificateArn", *certificate);
  SetElbActions(params, "DefaultActions", GetBlocks(planned, "default_action"));
  return params;
}

// The tags of the balancer's listener on the planned port, its ARN into *arn.
std::optional<TagMap> PortHolderTags(ResourceContext& ctx, const Value& planned, std::string* arn) {
  auto listeners = ListenersOf(ctx, GetString(planned, "load_balancer_arn"));
  if (!listeners) return std::nullopt;
  for (const aws::XmlNode& node : *listeners) {
    if (node.Text("Port") != std::to_string(GetInt(planned, "port"))) continue;
    *arn = node.Text("ListenerArn");
    auto tags = ElbTags(ctx, {*arn});
    if (!tags) return std::nullopt;
    return (*tags)[*arn];
  }
  return std::nullopt;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params = ListenerParams(planned);
  params.Set("LoadBalancerArn", GetString(planned, "load_balancer_arn"))
      .SetTags("Tags", ctx.TagsForCreate(planned), aws::ListStyle::kMember);
  auto created = ElbSend(ctx, "CreateListener", params);
  std::string arn = created.ok() ? created->Text("Listeners/member/ListenerArn") : "";
  if (!CreatedOrAdopted(ctx, created, "DuplicateListener",
                        {"listener on port", std::to_string(GetInt(planned, "port"))},
                        [&] { return PortHolderTags(ctx, planned, &arn); }))
    return Value();
  return Value::Map({{"id", Str(arn)}, {"load_balancer_arn", Str(GetString(planned, "load_balancer_arn"))}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  aws::QueryParams params = ListenerParams(planned);
  params.Set("ListenerArn", IdOf(prior));
  ElbCall(ctx, "ModifyListener", params, aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("ListenerArn", IdOf(prior));
  DeleteUntilGone(ctx, {.what = "listener " + IdOf(prior),
                        .call = [&] { return AsDone(ElbSend(ctx, "DeleteListener", params, aws::Idempotency::kIdempotent)); }});
}

// The balancer's listener carrying this instance's ownership tags.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string lb = GetString(planned, "load_balancer_arn");
  auto listeners = ListenersOf(ctx, lb);
  if (!listeners) return Value();
  std::vector<std::string> arns;
  for (const aws::XmlNode& node : *listeners) arns.push_back(node.Text("ListenerArn"));
  auto owned = ElbFindOwned(ctx, arns);
  if (!owned || owned->empty()) return Value();
  return Value::Map({{"id", Str(*owned)}, {"load_balancer_arn", Str(lb)}});
}

}  // namespace

ResourceType aws_lb_listener() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.adopt = Adopt;
  type.update_tags = ElbTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
