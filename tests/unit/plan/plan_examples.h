// Plans used by the plan tests: one change of each kind, with sensitive and
// unknown values at several depths.
#pragma once

#include "reconcile/plan.h"

namespace reconcile::testing {

// The secret that must never appear in any rendering.
inline constexpr const char* kSecret = "hunter2-s3cret";

inline Value Map(std::initializer_list<std::pair<const std::string, Value>> entries) {
  return Value::Map(ValueMap(entries));
}
inline Value Str(const char* s) { return Value::String(s); }
inline Value Num(double n) { return Value::Number(n); }

inline PlannedChange Change(const char* address, const char* type, Action action, Value before, Value after) {
  PlannedChange change;
  change.address = address;
  change.type = type;
  change.provider = "aws";
  change.action = action;
  change.before = std::move(before);
  change.after = std::move(after);
  return change;
}

inline PlannedChange CreateVpc() {
  return Change("aws_vpc.main", "aws_vpc", Action::kCreate, Value(),
                Map({{"cidr_block", Str("10.0.0.0/16")},
                     {"id", Value::Unknown()},
                     {"enable_dns", Value::Bool(true)},
                     {"ignored", Value()},
                     {"tags", Map({{"Name", Str("main")}, {"env", Str("prod")}})},
                     {"zones", Value::List({Str("a"), Str("b")})}}));
}

inline PlannedChange UpdateSubnet() {
  return Change("aws_subnet.public[\"a\"]", "aws_subnet", Action::kUpdate,
                Map({{"id", Str("subnet-1")},
                     {"cidr_block", Str("10.0.1.0/24")},
                     {"map_public_ip", Value::Bool(false)},
                     {"tags", Map({{"Name", Str("old")}, {"keep", Str("same")}, {"gone", Str("x")}})},
                     {"ports", Value::List({Num(22), Num(80), Num(443)})}}),
                Map({{"id", Str("subnet-1")},
                     {"cidr_block", Str("10.0.1.0/24")},
                     {"map_public_ip", Value::Bool(true)},
                     {"tags", Map({{"Name", Str("new")}, {"keep", Str("same")}, {"added", Str("y")}})},
                     {"ports", Value::List({Num(22), Num(443), Num(8080)})}}));
}

inline PlannedChange ReplaceInstance() {
  PlannedChange change =
      Change("aws_instance.web", "aws_instance", Action::kReplace,
             Map({{"id", Str("i-1")}, {"ami", Str("ami-1")}, {"instance_type", Str("t3.small")},
                  {"user_data", Str(kSecret).MarkedSensitive()}}),
             Map({{"id", Value::Unknown()}, {"ami", Str("ami-2")}, {"instance_type", Str("t3.small")},
                  {"user_data", Str(kSecret).MarkedSensitive()}}));
  change.replace_paths = {"ami"};
  return change;
}

inline PlannedChange DeleteBucket() {
  PlannedChange change = Change("aws_s3_bucket.logs", "aws_s3_bucket", Action::kDelete,
                                Map({{"bucket", Str("logs")}, {"tags", Map({{"team", Str("ops")}})}}), Value());
  change.reason = "no longer in the configuration";
  return change;
}

inline PlannedChange ReadAmi() {
  PlannedChange change = Change("data.aws_ami.ubuntu", "aws_ami", Action::kRead, Value(),
                                Map({{"id", Value::Unknown()}, {"owners", Value::List({Str("099720109477")})}}));
  change.mode = ResourceMode::kData;
  change.reason = "configuration depends on values known only after apply";
  return change;
}

}  // namespace reconcile::testing
