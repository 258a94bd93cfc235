// aws_internet_gateway: an internet gateway, attached to at most one VPC
// (moving it detaches and re-attaches in place).
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kGateway{"DescribeInternetGateways", "internetGatewaySet/item", "internetGatewayId",
                       "internet-gateway-id", "internet-gateway"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Optional("vpc_id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("owner_id", kString),
          },
          "An internet gateway."};
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& gateway, const Value& current) {
  std::string id = gateway.Text("internetGatewayId");
  std::string owner = gateway.Text("ownerId");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("vpc_id", StrOrNull(gateway.Text("attachmentSet/item/vpcId")));
  state.Set("arn", Str(ctx.Arn("ec2", owner, "internet-gateway/" + id)));
  state.Set("owner_id", Str(owner));
  SetEc2Tags(ctx, gateway, current, state);
  return state;
}

void Attach(ResourceContext& ctx, const std::string& id, const std::string& vpc) {
  aws::QueryParams params;
  params.Set("InternetGatewayId", id).Set("VpcId", vpc);
  Ec2Call(ctx, "AttachInternetGateway", params, aws::Idempotency::kNotIdempotent);
}

// Detaches, retrying while instances with public addresses still use it.
void Detach(ResourceContext& ctx, const std::string& id, const std::string& vpc) {
  aws::QueryParams params;
  params.Set("InternetGatewayId", id).Set("VpcId", vpc);
  RetryWhile(ctx, {"DependencyViolation"}, [&]() -> aws::AwsResult<aws::Done> {
    auto result = ctx.client().Query("ec2", "DetachInternetGateway", params);
    if (!result.ok() && (result.error().IsNotFound() || result.error().Is("Gateway.NotAttached")))
      return aws::Done{};
    return AsDone(result);
  });
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.SetEc2TagSpecification(kGateway.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "CreateInternetGateway", params, aws::Idempotency::kNotIdempotent);
  if (!doc) return Value();
  std::string id = doc->root().Text("internetGateway/internetGatewayId");
  if (auto vpc = FindString(planned, "vpc_id")) Attach(ctx, id, *vpc);
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "vpc_id")) return;
  std::string id = IdOf(prior);
  if (auto old_vpc = FindString(prior, "vpc_id")) Detach(ctx, id, *old_vpc);
  if (auto new_vpc = FindString(planned, "vpc_id"); new_vpc && !ctx.failed()) Attach(ctx, id, *new_vpc);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  if (auto vpc = FindString(prior, "vpc_id")) Detach(ctx, id, *vpc);
  if (!ctx.failed()) Ec2DeleteRetryingDependencies(ctx, "DeleteInternetGateway", "InternetGatewayId", id);
}

}  // namespace

ResourceType aws_internet_gateway() {
  return Ec2Type(kGateway, Schema(), ToState, Create, Update, Delete);
}

}  // namespace reconcile::aws_provider::resources
