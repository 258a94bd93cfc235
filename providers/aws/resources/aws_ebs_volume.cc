// aws_ebs_volume: an EBS volume. Size, type, IOPS and throughput change in
// place (ModifyVolume, then wait until it is usable again); the rest replaces.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kVolume{"DescribeVolumes", "volumeSet/item", "volumeId", "volume-id", "volume"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("availability_zone", kString).ForceNew(),
              Attribute::OptionalComputed("size", kNumber),
              Attribute::OptionalComputed("type", kString),
              Attribute::OptionalComputed("iops", kNumber),
              Attribute::OptionalComputed("throughput", kNumber),
              Attribute::OptionalComputed("encrypted", kBool).ForceNew(),
              Attribute::OptionalComputed("kms_key_id", kString).ForceNew(),
              Attribute::OptionalComputed("snapshot_id", kString).ForceNew(),
              Attribute::Optional("multi_attach_enabled", kBool).Default(Bool(false)),
              Attribute::Computed("arn", kString),
          },
          "An EBS volume."};
}

// The attributes ModifyVolume changes, with their request parameters.
const std::pair<const char*, const char*> kModifiable[] = {
    {"size", "Size"}, {"type", "VolumeType"}, {"iops", "Iops"}, {"throughput", "Throughput"}};

Value ToState(ResourceContext& ctx, const aws::XmlNode& volume, const Value& current) {
  std::string id = volume.Text("volumeId");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("availability_zone", Str(volume.Text("availabilityZone")));
  state.Set("size", NumFromText(volume.Text("size")));
  state.Set("type", StrOrNull(volume.Text("volumeType")));
  state.Set("iops", NumFromText(volume.Text("iops")));
  state.Set("throughput", NumFromText(volume.Text("throughput")));
  state.Set("encrypted", BoolFromText(volume.Text("encrypted")));
  state.Set("kms_key_id", StrOrNull(volume.Text("kmsKeyId")));
  state.Set("snapshot_id", StrOrNull(volume.Text("snapshotId")));
  state.Set("multi_attach_enabled", Bool(volume.Text("multiAttachEnabled") == "true"));
  // DescribeVolumes carries no owner: volumes belong to the caller's account.
  state.Set("arn", Str(ctx.Arn("ec2", ctx.AccountId(), "volume/" + id)));
  SetEc2Tags(ctx, volume, current, state);
  return state;
}

// The volume's status ("" when it is gone); nullopt after recording an error,
// which a volume in status "error" is.
std::optional<std::string> VolumeStatus(ResourceContext& ctx, const std::string& id) {
  auto volume = Ec2DescribeOne(ctx, kVolume, id);
  if (!volume) return std::nullopt;
  std::string status = volume->valid() ? volume->Text("status") : "";
  if (status != "error") return status == "deleted" ? "" : status;
  ctx.Error("Volume " + id + " is in state \"error\"");
  return std::nullopt;
}

// Waits until the volume reaches `wanted` ("available"; "usable": available or in-use).
bool WaitForState(ResourceContext& ctx, const std::string& id, const std::string& wanted) {
  return WaitFor(ctx, "volume " + id + " to become " + wanted, [&] {
    auto status = VolumeStatus(ctx, id);
    if (!status) return Poll::kFailed;
    bool done = wanted == "usable" ? (*status == "available" || *status == "in-use") : *status == wanted;
    return done ? Poll::kDone : Poll::kPending;
  });
}

std::optional<bool> VolumeExists(ResourceContext& ctx, const std::string& id) {
  auto status = VolumeStatus(ctx, id);
  if (!status) return std::nullopt;
  return !status->empty();
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("AvailabilityZone", GetString(planned, "availability_zone")).Set("ClientToken", ctx.ClientToken());
  for (const auto& [attribute, param] : kModifiable)
    if (auto v = FindString(planned, attribute)) params.Set(param, *v);
  if (auto encrypted = FindBool(planned, "encrypted")) params.SetBool("Encrypted", *encrypted);
  if (auto key = FindString(planned, "kms_key_id")) params.Set("KmsKeyId", *key);
  if (auto snapshot = FindString(planned, "snapshot_id")) params.Set("SnapshotId", *snapshot);
  if (GetBool(planned, "multi_attach_enabled")) params.SetBool("MultiAttachEnabled", true);
  params.SetEc2TagSpecification(kVolume.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "CreateVolume", params, aws::Idempotency::kClientToken);
  if (!doc) return Value();
  std::string id = doc->root().Text("volumeId");
  WaitForState(ctx, id, "available");
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  aws::QueryParams params;
  std::string id = IdOf(prior);
  params.Set("VolumeId", id);
  bool changed = false;
  for (const auto& [attribute, param] : kModifiable) {
    if (!Changed(prior, planned, attribute)) continue;
    if (auto v = FindString(planned, attribute)) params.Set(param, *v);
    changed = true;
  }
  if (changed && Ec2Call(ctx, "ModifyVolume", params, aws::Idempotency::kIdempotent))
    WaitForState(ctx, id, "usable");
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  aws::QueryParams params;
  params.Set("VolumeId", id);
  DeleteUntilGone(ctx, {.what = "volume " + id,
                        .call = [&] { return AsDone(Ec2Send(ctx, "DeleteVolume", params, aws::Idempotency::kIdempotent)); },
                        .retry_while = {"VolumeInUse"},
                        .exists = [&] { return VolumeExists(ctx, id); }});
}

}  // namespace

ResourceType aws_ebs_volume() {
  return Ec2Type(kVolume, Schema(), ToState, Create, Update, Delete);
}

}  // namespace reconcile::aws_provider::resources
