// aws_lb_listener: a port of a load balancer and what it does with requests
// (forward to a target group, redirect, or a fixed response); HTTPS and TLS
// listeners take a certificate and an SSL policy. Everything but the balancer
// changes in place (ModifyListener). A listener has no name: an interrupted
// create is found again among the balancer's listeners by its ownership
// tags. The id is the ARN; a refresh lists the listeners of each balancer
// once.
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

const ElbChildKind kListeners = {"load_balancer_arn", "DescribeListeners", "LoadBalancerArn",
                                 "ListenerArns", "Listeners/member", "ListenerArn"};

Value ToState(ResourceContext& ctx, const ElbTagged& listener, const Value& current) {
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
  return ElbChildHolderTags(ctx, kListeners, GetString(planned, "load_balancer_arn"), "Port",
                            std::to_string(GetInt(planned, "port")), arn);
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

}  // namespace

ResourceType aws_lb_listener() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseElbChildReads(type, kListeners, ToState);
  type.adopt = ElbAdoptChild(kListeners);
  type.update_tags = ElbTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
