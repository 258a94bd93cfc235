// aws_acm_certificate and aws_acm_certificate_validation through the engine
// against moto (validation records made in Route53 with for_each over the
// certificate's records), and the aws_lb, aws_acm_certificate and
// aws_route53_zone data sources; checked with the aws CLI.
#include <cstdlib>

#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

// moto issues a DNS-validated certificate this many seconds after its
// request (it does not look at the records); set before the server starts.
const bool kShortValidation = [] { return setenv("MOTO_ACM_VALIDATION_WAIT", "3", 1) == 0; }();

// (moto refuses a CREATE equal to one in the zone's journal while any record
// sorts after its name, and gives every certificate the same validation
// values: a re-created record gets another `ttl` to stay distinct)
std::string CertificateStack(const std::string& names, const std::string& tag, int ttl = 60) {
  return "[resource.aws_route53_zone.main]\nname = \"example.com\"\n\n"
         "[resource.aws_acm_certificate.site]\ndomain_name = \"example.com\"\n"
         "subject_alternative_names = [" + names + "]\nvalidation_method = \"DNS\"\n"
         "tags = { Name = \"" + tag + "\" }\n\n"
         "[resource.aws_route53_record.validation]\n"
         "for_each = \"${aws_acm_certificate.site.domain_validation_records}\"\n"
         "zone_id = \"${aws_route53_zone.main.zone_id}\"\n"
         "name = \"${each.value.resource_record_name}\"\n"
         "type = \"${each.value.resource_record_type}\"\n"
         "records = [\"${each.value.resource_record_value}\"]\nttl = " + std::to_string(ttl) + "\n\n"
         "[resource.aws_acm_certificate_validation.site]\n"
         "certificate_arn = \"${aws_acm_certificate.site.arn}\"\n"
         "validation_record_fqdns = \"${values(aws_route53_record.validation)[*].fqdn}\"\n";
}

class AwsAcmTest : public AwsStackTest {
 protected:
  json Certificate(const std::string& arn) {
    return AwsCli("acm describe-certificate --certificate-arn " + arn)["Certificate"];
  }
  std::size_t CertificateCount() {
    return AwsCli("acm list-certificates --certificate-statuses PENDING_VALIDATION ISSUED")["CertificateSummaryList"].size();
  }
  // "NAME TYPE" of every record of the zone.
  std::string Records(const std::string& zone) {
    std::string out;
    json sets = AwsCli("route53 list-resource-record-sets --hosted-zone-id " + zone);
    if (!sets.contains("ResourceRecordSets")) ADD_FAILURE() << "zone " << zone << ": " << sets.dump();
    for (const json& set : sets["ResourceRecordSets"])
      out += set["Name"].get<std::string>() + " " + set["Type"].get<std::string>() + "\n";
    return out;
  }
};

TEST_F(AwsAcmTest, CertificateValidatedThroughRoute53RecordsMadeWithForEach) {
  ASSERT_TRUE(kShortValidation);
  // Given a certificate for two names, its records made from its validation options
  WriteStack(CertificateStack("\"www.example.com\"", "site"));
  Plan created = Apply();
  // (the records' keys were known when planned: one instance per domain)
  ChangeFor(created, "aws_route53_record.validation[\"example.com\"]");
  ChangeFor(created, "aws_route53_record.validation[\"www.example.com\"]");
  std::string arn = Attr("aws_acm_certificate.site", "id");
  json cert = Certificate(arn);
  EXPECT_EQ(cert["DomainName"], "example.com");
  EXPECT_EQ(cert["Status"], "ISSUED");  // the validation waited for it
  EXPECT_EQ(Attr("aws_acm_certificate.site", "subject_alternative_names"), R"(["www.example.com"])");
  EXPECT_EQ(Attr("aws_acm_certificate_validation.site", "id"), arn);
  Value options = StateOf("aws_acm_certificate.site").AsMap().at("domain_validation_options");
  ASSERT_EQ(options.AsList().size(), 2u);
  std::string zone = Attr("aws_route53_zone.main", "zone_id");
  std::string records = Records(zone);
  for (const json& option : cert["DomainValidationOptions"]) {
    std::string name = option["ResourceRecord"]["Name"];
    EXPECT_NE(records.find(name + " CNAME"), std::string::npos) << records;
  }
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new tag changes it in place
  WriteStack(CertificateStack("\"www.example.com\"", "site-v2"));
  EXPECT_EQ(Changes(Apply()), "update aws_acm_certificate.site\n");
  EXPECT_NE(AwsCli("acm list-tags-for-certificate --certificate-arn " + arn)["Tags"].dump().find("site-v2"),
            std::string::npos);

  // Another alternative name replaces it (and its records and validation follow)
  WriteStack(CertificateStack("\"www.example.com\", \"api.example.com\"", "site-v2", 120));
  Plan replaced = Apply();
  EXPECT_EQ(ChangeFor(replaced, "aws_acm_certificate.site").action, Action::kReplace);
  EXPECT_EQ(ChangeFor(replaced, "aws_route53_record.validation[\"api.example.com\"]").action, Action::kCreate);
  std::string second = Attr("aws_acm_certificate.site", "id");
  EXPECT_NE(second, arn);
  EXPECT_EQ(Certificate(second)["Status"], "ISSUED");
  EXPECT_EQ(CertificateCount(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_acm_certificate.site").HasErrors());
  Import("aws_acm_certificate.site", second);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes the certificate and its records
  Destroy();
  EXPECT_EQ(CertificateCount(), 0u);
}

TEST_F(AwsAcmTest, InterruptedCertificateRequestIsAdopted) {
  WriteStack("[resource.aws_acm_certificate.site]\ndomain_name = \"example.org\"\n");
  Value planned = Value::Map({{"domain_name", Value::String("example.org")},
                              {"validation_method", Value::String("DNS")}});
  std::string arn = InterruptedCreate("aws_acm_certificate", "aws_acm_certificate.site", planned);
  ASSERT_FALSE(arn.empty());
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_acm_certificate.site", "id"), arn);
  EXPECT_EQ(CertificateCount(), 1u);
}

TEST_F(AwsAcmTest, DataSourcesFindBalancerCertificateAndZone) {
  // Given a balancer, an issued certificate and a zone made outside the stack
  std::string vpc = AwsCli("ec2 create-vpc --cidr-block 10.0.0.0/16")["Vpc"]["VpcId"];
  std::string subnet = AwsCli("ec2 create-subnet --vpc-id " + vpc + " --cidr-block 10.0.1.0/24")["Subnet"]["SubnetId"];
  json lb = AwsCli("elbv2 create-load-balancer --name shared --subnets " + subnet)["LoadBalancers"][0];
  std::string cert = AwsCli("acm request-certificate --domain-name shop.example.net --validation-method DNS")["CertificateArn"];
  std::string zone = AwsCli("route53 create-hosted-zone --name example.net --caller-reference r1")["HostedZone"]["Id"];
  zone = zone.substr(zone.rfind('/') + 1);
  WriteStack(R"(
[data.aws_lb.shared]
name = "shared"

[data.aws_acm_certificate.shop]
domain = "shop.example.net"
statuses = ["PENDING_VALIDATION", "ISSUED"]

[data.aws_route53_zone.net]
name = "example.net"

[resource.aws_route53_record.shop]
zone_id = "${data.aws_route53_zone.net.zone_id}"
name = "shop"
type = "A"
alias = { name = "${data.aws_lb.shared.dns_name}", zone_id = "${data.aws_lb.shared.zone_id}", evaluate_target_health = true }
)");

  // When applied, then each reads what the aws CLI sees, and the alias points at the balancer
  Apply();
  EXPECT_EQ(Attr("data.aws_lb.shared", "arn"), lb["LoadBalancerArn"]);
  EXPECT_EQ(Attr("data.aws_lb.shared", "dns_name"), lb["DNSName"]);
  EXPECT_EQ(Attr("data.aws_lb.shared", "zone_id"), lb["CanonicalHostedZoneId"]);
  EXPECT_EQ(Attr("data.aws_acm_certificate.shop", "arn"), cert);
  EXPECT_EQ(Attr("data.aws_route53_zone.net", "zone_id"), zone);
  EXPECT_EQ(Attr("data.aws_route53_zone.net", "name"), "example.net");
  json sets = AwsCli("route53 list-resource-record-sets --hosted-zone-id " + zone +
                     " --query \"ResourceRecordSets[?Type=='A']\"");
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0]["AliasTarget"]["DNSName"].get<std::string>().find(lb["DNSName"].get<std::string>()), 0u);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A domain without a certificate of the status asked for is an error naming it
  WriteStack("[data.aws_acm_certificate.none]\ndomain = \"none.example.net\"\n");
  std::string error = ApplyAllowingErrors().ToString();
  EXPECT_NE(error.find("No certificate for \"none.example.net\" with status ISSUED"), std::string::npos) << error;
}

}  // namespace
}  // namespace reconcile::testing
