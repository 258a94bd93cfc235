// Parameters of the query protocols (EC2, AutoScaling, IAM, STS) and the
// flattening of lists, maps and structures into dotted names
// ("Filter.1.Name", "TagSpecification.1.Tag.1.Key", "Tags.member.1.Key").
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace reconcile::aws {

// How a list is flattened: EC2 and "flattened" query lists use NAME.N, other
// query lists NAME.member.N.
enum class ListStyle { kIndexed, kMember };

// An EC2 filter: Filter.N.Name = name, Filter.N.Value.M = values[M-1].
struct Ec2Filter {
  std::string name;
  std::vector<std::string> values;
};

// Ordered name=value parameters of one query request (Action and Version are
// added by the client).
class QueryParams {
 public:
  QueryParams() = default;

  // NAME=value.
  QueryParams& Set(std::string name, std::string value);
  // NAME=true|false.
  QueryParams& SetBool(std::string name, bool value);
  // NAME=decimal.
  QueryParams& SetInt(std::string name, long long value);
  // PREFIX.N=value (kIndexed) or PREFIX.member.N=value (kMember), N from 1.
  QueryParams& SetList(std::string_view prefix, const std::vector<std::string>& values,
                       ListStyle style);
  // A list of structures: PREFIX.N.Field=value / PREFIX.member.N.Field=value.
  QueryParams& SetStructList(std::string_view prefix,
                             const std::vector<std::map<std::string, std::string>>& items,
                             ListStyle style);
  // Tags as a list of {Key, Value} structures under PREFIX ("Tag" for EC2
  // kIndexed, "Tags" for IAM/AutoScaling kMember).
  QueryParams& SetTags(std::string_view prefix, const std::map<std::string, std::string>& tags,
                       ListStyle style);
  // A map: PREFIX.entry.N.key / PREFIX.entry.N.value (query maps).
  QueryParams& SetMap(std::string_view prefix, const std::map<std::string, std::string>& entries);
  // EC2 filters from index 1.
  QueryParams& SetEc2Filters(const std::vector<Ec2Filter>& filters);
  // TagSpecification.INDEX.ResourceType and TagSpecification.INDEX.Tag.N.Key/Value.
  QueryParams& SetEc2TagSpecification(std::string_view resource_type,
                                      const std::map<std::string, std::string>& tags,
                                      int index = 1);
  // Flattens any JSON value under PREFIX: objects by field name, arrays by
  // `style`, scalars as text (booleans "true"/"false"); null is skipped.
  QueryParams& SetJson(std::string_view prefix, const nlohmann::json& value, ListStyle style);

  // The value of NAME, or nullptr.
  const std::string* Get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

  // The application/x-www-form-urlencoded body, Action and Version first.
  std::string FormBody(std::string_view action, std::string_view version) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// application/x-www-form-urlencoded encoding of one name or value (space as %20).
std::string FormEncode(std::string_view text);

}  // namespace reconcile::aws
