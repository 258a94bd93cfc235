// aws_volume_attachment: an EBS volume attached to an instance at a device
// name. Everything forces replacement; create and delete wait for the
// attachment to settle. Import id: DEVICE_NAME:VOLUME_ID:INSTANCE_ID.
#include <functional>

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
              Attribute::Required("device_name", kString).ForceNew(),
              Attribute::Required("volume_id", kString).ForceNew(),
              Attribute::Required("instance_id", kString).ForceNew(),
              Attribute::Optional("force_detach", kBool),
              Attribute::Optional("skip_destroy", kBool),
          },
          "An EBS volume attached to an EC2 instance."};
}

// A stable id for the triple, as Terraform derives one.
std::string AttachmentId(const Value& s) {
  std::string key = GetString(s, "device_name") + "-" + GetString(s, "instance_id") + "-" + GetString(s, "volume_id");
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : key) hash = (hash ^ c) * 16777619u;
  return "vai-" + std::to_string(hash);
}

// The volume's attachment to the planned instance at the planned device, or
// an invalid node; nullopt on error.
std::optional<aws::XmlNode> FindAttachment(ResourceContext& ctx, const Value& s) {
  auto volume = Ec2DescribeOne(ctx, kVolume, GetString(s, "volume_id"));
  if (!volume) return std::nullopt;
  for (const aws::XmlNode& a : volume->FindAll("attachmentSet/item"))
    if (a.Text("instanceId") == GetString(s, "instance_id") && a.Text("device") == GetString(s, "device_name"))
      return a;
  return aws::XmlNode();
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto attachment = FindAttachment(ctx, current);
  if (!attachment || !attachment->valid()) return Value();
  Value state = Value::Map({});
  state.Set("device_name", Str(attachment->Text("device")));
  state.Set("volume_id", Str(attachment->Text("volumeId")));
  state.Set("instance_id", Str(attachment->Text("instanceId")));
  state.Set("id", Str(AttachmentId(state)));
  KeepAttributes(current, state, {"force_detach", "skip_destroy"});
  return state;
}

// Waits until the attachment is "attached", or gone when `gone`.
bool WaitForAttachment(ResourceContext& ctx, const Value& s, bool gone) {
  std::string what = "volume " + GetString(s, "volume_id") + (gone ? " to detach" : " to attach");
  return WaitFor(ctx, what, [&] {
    auto attachment = FindAttachment(ctx, s);
    if (!attachment) return Poll::kFailed;
    if (gone) return attachment->valid() ? Poll::kPending : Poll::kDone;
    return attachment->valid() && attachment->Text("status") == "attached" ? Poll::kDone : Poll::kPending;
  });
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("Device", GetString(planned, "device_name"))
      .Set("InstanceId", GetString(planned, "instance_id"))
      .Set("VolumeId", GetString(planned, "volume_id"));
  if (!Ec2Call(ctx, "AttachVolume", params, aws::Idempotency::kNotIdempotent)) return Value();
  WaitForAttachment(ctx, planned, false);
  return Value::Map({{"id", Str(AttachmentId(planned))}});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  if (GetBool(prior, "skip_destroy")) return;
  aws::QueryParams params;
  params.Set("Device", GetString(prior, "device_name"))
      .Set("InstanceId", GetString(prior, "instance_id"))
      .Set("VolumeId", GetString(prior, "volume_id"));
  if (GetBool(prior, "force_detach")) params.SetBool("Force", true);
  auto result = ctx.client().Query("ec2", "DetachVolume", params);
  bool gone = !result.ok() && (result.error().IsNotFound() || result.error().Is("IncorrectState"));
  if (!result.ok() && !gone) {
    ctx.Fail(result.error());
    return;
  }
  WaitForAttachment(ctx, prior, true);
}

Value Import(ResourceContext& ctx, const std::string& id) {
  std::size_t first = id.find(':');
  std::size_t second = first == std::string::npos ? first : id.find(':', first + 1);
  if (second == std::string::npos) {
    ctx.Error("Import id \"" + id + "\" is not DEVICE_NAME:VOLUME_ID:INSTANCE_ID",
              "For example: /dev/sdf:vol-0123:i-4567.");
    return Value();
  }
  return Value::Map({{"device_name", Str(id.substr(0, first))},
                     {"volume_id", Str(id.substr(first + 1, second - first - 1))},
                     {"instance_id", Str(id.substr(second + 1))}});
}

}  // namespace

ResourceType aws_volume_attachment() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  type.read = Read;
  type.import = Import;
  // The attachment of the planned volume, instance and device is ours.
  type.adopt = [](ResourceContext& ctx, const Value& planned) -> Value {
    auto attachment = FindAttachment(ctx, planned);
    return attachment && attachment->valid() ? Value::Map({{"id", Str(AttachmentId(planned))}}) : Value();
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
