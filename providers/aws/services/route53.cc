#include "route53.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "waiter.h"
#include "xml_body.h"

namespace reconcile::aws_provider {

namespace {

constexpr const char* kApiVersion = "/2013-04-01";
// Route53 answers at most 300 record sets a page.
constexpr std::size_t kRecordsPerPage = 300;

RecordSet RecordSetFromXml(const aws::XmlNode& node) {
  RecordSet set;
  set.name = NormalizeDnsName(node.Text("Name"));
  set.type = node.Text("Type");
  set.set_identifier = node.Text("SetIdentifier");
  if (auto ttl = node.TextIf("TTL"); ttl && !ttl->empty()) set.ttl = std::atoll(ttl->c_str());
  for (const aws::XmlNode& r : node.FindAll("ResourceRecords/ResourceRecord"))
    set.values.push_back(r.Text("Value"));
  if (aws::XmlNode alias = node.Child("AliasTarget")) {
    set.alias = true;
    set.alias_name = NormalizeDnsName(alias.Text("DNSName"));
    set.alias_zone_id = alias.Text("HostedZoneId");
    set.evaluate_target_health = alias.Text("EvaluateTargetHealth") == "true";
    set.ttl.reset();  // an alias has none (moto answers 0)
  }
  return set;
}

// The elements in the order Route53's schema requires.
std::string RecordSetXml(const RecordSet& set) {
  std::string xml =
      "<ResourceRecordSet>" + XmlElement("Name", set.name) + XmlElement("Type", set.type);
  if (!set.set_identifier.empty()) xml += XmlElement("SetIdentifier", set.set_identifier);
  if (set.ttl) xml += XmlElement("TTL", std::to_string(*set.ttl));
  if (!set.values.empty()) {
    xml += "<ResourceRecords>";
    for (const std::string& v : set.values)
      xml += "<ResourceRecord>" + XmlElement("Value", v) + "</ResourceRecord>";
    xml += "</ResourceRecords>";
  }
  if (set.alias)
    xml += "<AliasTarget>" + XmlElement("HostedZoneId", set.alias_zone_id) +
           XmlElement("DNSName", set.alias_name) +
           XmlElement("EvaluateTargetHealth", set.evaluate_target_health ? "true" : "false") +
           "</AliasTarget>";
  return xml + "</ResourceRecordSet>";
}

int OctalDigit(char c) { return c >= '0' && c <= '7' ? c - '0' : -1; }

}  // namespace

aws::AwsResult<aws::XmlResponse> Route53Call(const ResourceContext& ctx,
                                             const std::string& operation,
                                             const std::string& method, const std::string& path,
                                             std::string body, aws::QueryList query,
                                             aws::Idempotency idempotency) {
  aws::RestRequest request{.operation = operation,
                           .method = method,
                           .path = kApiVersion + path,
                           .query = std::move(query),
                           .body = std::move(body)};
  return ctx.client().RestXml("route53", request, {.idempotency = idempotency});
}

std::string CleanRoute53Id(std::string_view id) {
  std::size_t slash = id.rfind('/');
  return std::string(slash == std::string_view::npos ? id : id.substr(slash + 1));
}

std::string NormalizeDnsName(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '\\' && i + 3 < name.size() && OctalDigit(name[i + 1]) >= 0 &&
        OctalDigit(name[i + 2]) >= 0 && OctalDigit(name[i + 3]) >= 0) {
      out += static_cast<char>(OctalDigit(name[i + 1]) * 64 + OctalDigit(name[i + 2]) * 8 +
                               OctalDigit(name[i + 3]));
      i += 3;
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string ExpandRecordName(std::string_view name, std::string_view zone) {
  std::string record = NormalizeDnsName(name);
  std::string zone_name = NormalizeDnsName(zone);
  if (record.empty()) return zone_name;
  if (record == zone_name || record.ends_with("." + zone_name)) return record;
  return record + "." + zone_name;
}

bool WaitForRoute53Change(ResourceContext& ctx, const std::string& change_id) {
  std::string id = CleanRoute53Id(change_id);
  if (id.empty()) return true;
  return WaitFor(ctx, "Route53 change " + id + " to be INSYNC", [&] {
    auto change = ctx.Unwrap(Route53Call(ctx, "GetChange", "GET", "/change/" + id));
    if (!change) return Poll::kFailed;
    return change->xml.root().Text("ChangeInfo/Status") == "INSYNC" ? Poll::kDone : Poll::kPending;
  });
}

bool ChangeRecordSets(ResourceContext& ctx, const std::string& zone_id,
                      const std::vector<RecordChange>& changes) {
  if (changes.empty()) return true;
  std::string body = std::string("<ChangeResourceRecordSetsRequest xmlns=\"") + kRoute53Xmlns +
                     "\"><ChangeBatch><Changes>";
  for (const auto& [action, set] : changes)
    body += "<Change>" + XmlElement("Action", action) + RecordSetXml(set) + "</Change>";
  body += "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>";
  auto changed = ctx.Unwrap(Route53Call(ctx, "ChangeResourceRecordSets", "POST",
                                        "/hostedzone/" + zone_id + "/rrset", body, {},
                                        aws::Idempotency::kNotIdempotent));
  if (!changed) return false;
  return WaitForRoute53Change(ctx, changed->xml.root().Text("ChangeInfo/Id"));
}

std::optional<std::vector<RecordSet>> ListRecordSets(
    ResourceContext& ctx, const std::string& zone_id, const std::string& start_name,
    const std::string& start_type, std::size_t limit, bool missing_zone_is_empty) {
  std::vector<RecordSet> out;
  std::string name = start_name;
  std::string type = start_type;
  while (true) {
    std::size_t page_size =
        limit == 0 ? kRecordsPerPage : std::min(kRecordsPerPage, limit - out.size());
    aws::QueryList query{{"maxitems", std::to_string(page_size)}};
    if (!name.empty()) query.emplace_back("name", name);
    if (!type.empty()) query.emplace_back("type", type);
    auto page = Route53Call(ctx, "ListResourceRecordSets", "GET",
                            "/hostedzone/" + zone_id + "/rrset", {}, query);
    if (!page.ok()) {
      if (missing_zone_is_empty && page.error().Is("NoSuchHostedZone")) return out;
      ctx.Fail(page.error());
      return std::nullopt;
    }
    aws::XmlNode root = page->xml.root();
    for (const aws::XmlNode& node : root.FindAll("ResourceRecordSets/ResourceRecordSet"))
      out.push_back(RecordSetFromXml(node));
    if (root.Text("IsTruncated") != "true" || (limit != 0 && out.size() >= limit)) return out;
    name = root.Text("NextRecordName");
    type = root.Text("NextRecordType");
  }
}

std::optional<RecordSet> FindRecordSet(ResourceContext& ctx, const std::string& zone_id,
                                       const std::string& name, const std::string& type) {
  auto sets = ListRecordSets(ctx, zone_id, name, type, 1, true);
  if (!sets) return std::nullopt;
  if (!sets->empty() && sets->front().name == NormalizeDnsName(name) && sets->front().type == type)
    return sets->front();
  return RecordSet{};
}

}  // namespace reconcile::aws_provider
