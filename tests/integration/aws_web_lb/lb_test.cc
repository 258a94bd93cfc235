// aws_lb, aws_lb_target_group, aws_lb_listener, aws_lb_listener_rule and
// aws_lb_target_group_attachment through the engine against moto, checked
// with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

struct WebSettings {
  int idle_timeout = 60;
  int health_interval = 15;
  std::string api_path = "/api/*";
  int api_priority = 10;
  std::string redirect_code = "HTTP_301";
  std::string api_listener = "https";
  int target_port = 8080;
  std::string name_tag = "web";
};

class AwsLbTest : public AwsStackTest {
 protected:
  void SetUp() override {
    AwsStackTest::SetUp();
    // The network and certificate, made outside the stack.
    vpc_ = AwsCli("ec2 create-vpc --cidr-block 10.0.0.0/16")["Vpc"]["VpcId"];
    subnet_a_ = AwsCli("ec2 create-subnet --vpc-id " + vpc_ +
                       " --cidr-block 10.0.1.0/24 --availability-zone us-east-1a")["Subnet"]["SubnetId"];
    subnet_b_ = AwsCli("ec2 create-subnet --vpc-id " + vpc_ +
                       " --cidr-block 10.0.2.0/24 --availability-zone us-east-1b")["Subnet"]["SubnetId"];
    group_ = AwsCli("ec2 create-security-group --group-name web --description web --vpc-id " + vpc_)["GroupId"];
    certificate_ = AwsCli("acm request-certificate --domain-name example.com --validation-method DNS")["CertificateArn"];
  }

  // A balancer with an HTTP listener redirecting to HTTPS, an HTTPS listener
  // forwarding to a target group, two rules and one IP target.
  std::string Stack(const WebSettings& s) {
    std::string out =
        "[resource.aws_lb.web]\nname = \"web\"\nsubnets = [\"" + subnet_a_ + "\", \"" + subnet_b_ +
        "\"]\nsecurity_groups = [\"" + group_ + "\"]\nidle_timeout = " + std::to_string(s.idle_timeout) +
        "\ntags = { Name = \"" + s.name_tag + "\" }\n\n"
        "[resource.aws_lb_target_group.app]\nname = \"app\"\nport = 8080\nprotocol = \"HTTP\"\n"
        "target_type = \"ip\"\nvpc_id = \"" + vpc_ + "\"\nderegistration_delay = 30\n"
        "health_check = { path = \"/health\", matcher = \"200-299\", interval = " +
        std::to_string(s.health_interval) + ", timeout = 5 }\n\n"
        "[resource.aws_lb_listener.http]\nload_balancer_arn = \"${aws_lb.web.arn}\"\nport = 80\n"
        "protocol = \"HTTP\"\n"
        "default_action = [{ type = \"redirect\", redirect = { port = \"443\", protocol = \"HTTPS\", "
        "status_code = \"" + s.redirect_code + "\" } }]\n\n"
        "[resource.aws_lb_listener.https]\nload_balancer_arn = \"${aws_lb.web.arn}\"\nport = 443\n"
        "protocol = \"HTTPS\"\nssl_policy = \"ELBSecurityPolicy-2016-08\"\ncertificate_arn = \"" +
        certificate_ + "\"\n"
        "default_action = [{ type = \"forward\", target_group_arn = \"${aws_lb_target_group.app.arn}\" }]\n\n"
        "[resource.aws_lb_listener_rule.api]\nlistener_arn = \"${aws_lb_listener." + s.api_listener +
        ".arn}\"\npriority = " + std::to_string(s.api_priority) + "\n"
        "action = [{ type = \"forward\", target_group_arn = \"${aws_lb_target_group.app.arn}\" }]\n"
        "condition = [{ path_pattern = { values = [\"" + s.api_path + "\"] } }, "
        "{ host_header = { values = [\"api.example.com\"] } }]\n\n"
        "[resource.aws_lb_listener_rule.maintenance]\nlistener_arn = \"${aws_lb_listener.https.arn}\"\n"
        "depends_on = [\"aws_lb_listener_rule.api\"]\n"
        "action = [{ type = \"fixed-response\", fixed_response = { content_type = \"text/plain\", "
        "message_body = \"down\", status_code = \"503\" } }]\n"
        "condition = [{ path_pattern = { values = [\"/maintenance\"] } }]\n\n"
        "[resource.aws_lb_target_group_attachment.one]\n"
        "target_group_arn = \"${aws_lb_target_group.app.arn}\"\ntarget_id = \"10.0.1.10\"\nport = " +
        std::to_string(s.target_port) + "\n";
    return out;
  }

  json Balancer(const std::string& arn) {
    return AwsCli("elbv2 describe-load-balancers --load-balancer-arns " + arn)["LoadBalancers"][0];
  }
  json TargetGroup(const std::string& arn) {
    return AwsCli("elbv2 describe-target-groups --target-group-arns " + arn)["TargetGroups"][0];
  }
  std::string Attribute(const std::string& kind, const std::string& arn, const std::string& key) {
    std::string command = kind == "lb" ? "elbv2 describe-load-balancer-attributes --load-balancer-arn "
                                       : "elbv2 describe-target-group-attributes --target-group-arn ";
    json attributes = AwsCli(command + arn);
    for (const json& a : attributes["Attributes"])
      if (a["Key"] == key) return a["Value"];
    ADD_FAILURE() << command << arn << ": " << attributes.dump();
    return "";
  }
  json Rule(const std::string& arn) { return AwsCli("elbv2 describe-rules --rule-arns " + arn)["Rules"][0]; }
  json Listener(const std::string& arn) {
    return AwsCli("elbv2 describe-listeners --listener-arns " + arn)["Listeners"][0];
  }
  std::string Targets(const std::string& group) {
    std::string out;
    json health = AwsCli("elbv2 describe-target-health --target-group-arn " + group);
    if (health["TargetHealthDescriptions"].empty()) ADD_FAILURE() << health.dump();
    for (const json& d : health["TargetHealthDescriptions"])
      out += d["Target"]["Id"].get<std::string>() + ":" + std::to_string(d["Target"]["Port"].get<int>()) + " ";
    return out;
  }
  std::size_t BalancerCount() { return AwsCli("elbv2 describe-load-balancers")["LoadBalancers"].size(); }

  std::string vpc_, subnet_a_, subnet_b_, group_, certificate_;
};

TEST_F(AwsLbTest, CreateReadUpdateReplaceImportDestroy) {
  // Given a balancer with listeners, rules, a target group and a target
  WriteStack(Stack({}));
  Apply();
  std::string lb = Attr("aws_lb.web", "id");
  std::string tg = Attr("aws_lb_target_group.app", "id");
  json balancer = Balancer(lb);
  EXPECT_EQ(balancer["State"]["Code"], "active");
  EXPECT_EQ(balancer["Scheme"], "internet-facing");
  EXPECT_EQ(balancer["Type"], "application");
  EXPECT_EQ(Attr("aws_lb.web", "dns_name"), balancer["DNSName"]);
  EXPECT_EQ(Attr("aws_lb.web", "zone_id"), balancer["CanonicalHostedZoneId"]);
  EXPECT_EQ(Attr("aws_lb.web", "vpc_id"), vpc_);
  json group = TargetGroup(tg);
  EXPECT_EQ(group["HealthCheckPath"], "/health");
  EXPECT_EQ(group["HealthCheckIntervalSeconds"], 15);
  EXPECT_EQ(group["Matcher"]["HttpCode"], "200-299");
  EXPECT_EQ(group["TargetType"], "ip");
  EXPECT_EQ(Attribute("tg", tg, "deregistration_delay.timeout_seconds"), "30");
  json http = Listener(Attr("aws_lb_listener.http", "id"));
  EXPECT_EQ(http["DefaultActions"][0]["RedirectConfig"]["StatusCode"], "HTTP_301");
  EXPECT_EQ(http["DefaultActions"][0]["RedirectConfig"]["Protocol"], "HTTPS");
  json https = Listener(Attr("aws_lb_listener.https", "id"));
  EXPECT_EQ(https["Certificates"][0]["CertificateArn"], certificate_);
  EXPECT_EQ(https["DefaultActions"][0]["TargetGroupArn"], tg);
  json api = Rule(Attr("aws_lb_listener_rule.api", "id"));
  EXPECT_EQ(api["Priority"], "10");
  EXPECT_EQ(api["Conditions"].dump().find("/api/*") != std::string::npos, true) << api.dump();
  json maintenance = Rule(Attr("aws_lb_listener_rule.maintenance", "id"));
  EXPECT_EQ(maintenance["Priority"], "11");  // the next free priority
  EXPECT_EQ(maintenance["Actions"][0]["FixedResponseConfig"]["MessageBody"], "down");
  EXPECT_EQ(Targets(tg), "10.0.1.10:8080 ");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When settings change, then they change in place
  WebSettings changed;
  changed.idle_timeout = 120;
  changed.health_interval = 20;
  changed.api_path = "/v2/*";
  changed.api_priority = 20;
  changed.redirect_code = "HTTP_302";
  changed.name_tag = "web-v2";
  WriteStack(Stack(changed));
  Plan updated = Apply();
  for (const char* address : {"aws_lb.web", "aws_lb_target_group.app", "aws_lb_listener.http",
                              "aws_lb_listener_rule.api"})
    EXPECT_EQ(ChangeFor(updated, address).action, Action::kUpdate) << address;
  EXPECT_EQ(Attribute("lb", lb, "idle_timeout.timeout_seconds"), "120");
  EXPECT_EQ(TargetGroup(tg)["HealthCheckIntervalSeconds"], 20);
  EXPECT_EQ(Listener(Attr("aws_lb_listener.http", "id"))["DefaultActions"][0]["RedirectConfig"]["StatusCode"],
            "HTTP_302");
  api = Rule(Attr("aws_lb_listener_rule.api", "id"));
  EXPECT_EQ(api["Priority"], "20");
  EXPECT_NE(api["Conditions"].dump().find("/v2/*"), std::string::npos) << api.dump();
  EXPECT_EQ(Attr("aws_lb.web", "tags"), R"({"Name":"web-v2"})");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When the target's port or the rule's listener change, then they are replaced
  changed.target_port = 9090;
  changed.api_listener = "http";
  WriteStack(Stack(changed));
  Plan replaced = Apply();
  EXPECT_EQ(ChangeFor(replaced, "aws_lb_target_group_attachment.one").action, Action::kReplace);
  EXPECT_EQ(ChangeFor(replaced, "aws_lb_listener_rule.api").action, Action::kReplace);
  EXPECT_EQ(Targets(tg), "10.0.1.10:9090 ");
  EXPECT_EQ(Rule(Attr("aws_lb_listener_rule.api", "id"))["RuleArn"], Attr("aws_lb_listener_rule.api", "id"));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import of every object matches the configuration
  std::map<std::string, std::string> ids;
  for (const char* address : {"aws_lb.web", "aws_lb_target_group.app", "aws_lb_listener.http",
                              "aws_lb_listener.https", "aws_lb_listener_rule.api", "aws_lb_listener_rule.maintenance",
                              "aws_lb_target_group_attachment.one"}) {
    ids[address] = Attr(address, "id");
    ASSERT_FALSE(RemoveFromState(address).HasErrors());
  }
  for (const auto& [address, id] : ids) Import(address, id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes everything
  Destroy();
  EXPECT_EQ(BalancerCount(), 0u);
  EXPECT_EQ(AwsCli("elbv2 describe-target-groups")["TargetGroups"].size(), 0u);
}

TEST_F(AwsLbTest, InterruptedCreatesAreAdopted) {
  // Given a balancer create that was never recorded
  WriteStack(Stack({}));
  Value planned = Value::Map({{"name", Value::String("web")},
                              {"load_balancer_type", Value::String("application")},
                              {"internal", Value::Bool(false)},
                              {"idle_timeout", Value::Number(60)},
                              {"subnets", Value::List({Value::String(subnet_a_), Value::String(subnet_b_)})},
                              {"security_groups", Value::List({Value::String(group_)})},
                              {"tags", Value::Map({{"Name", Value::String("web")}})}});
  std::string lb = InterruptedCreate("aws_lb", "aws_lb.web", planned);
  ASSERT_FALSE(lb.empty());

  // When applied, then it is adopted (one balancer, the same ARN)
  Apply();
  EXPECT_EQ(Attr("aws_lb.web", "id"), lb);
  EXPECT_EQ(BalancerCount(), 1u);

  // Given a listener create that was never recorded (listeners have no name)
  ASSERT_FALSE(RemoveFromState("aws_lb_listener_rule.api").HasErrors());
  ASSERT_FALSE(RemoveFromState("aws_lb_listener_rule.maintenance").HasErrors());
  std::string https = Attr("aws_lb_listener.https", "id");
  ASSERT_FALSE(RemoveFromState("aws_lb_listener.https").HasErrors());
  AwsCli("elbv2 delete-listener --listener-arn " + https);
  Value listener = Value::Map(
      {{"load_balancer_arn", Value::String(lb)},
       {"port", Value::Number(443)},
       {"protocol", Value::String("HTTPS")},
       {"ssl_policy", Value::String("ELBSecurityPolicy-2016-08")},
       {"certificate_arn", Value::String(certificate_)},
       {"default_action", Value::List({Value::Map({{"type", Value::String("forward")},
                                                   {"target_group_arn", Value::String(Attr("aws_lb_target_group.app", "id"))}})})}});
  std::string made = InterruptedCreate("aws_lb_listener", "aws_lb_listener.https", listener);
  ASSERT_FALSE(made.empty());

  // When applied, then it is found by its ownership tags and the rules are made on it
  Apply();
  EXPECT_EQ(Attr("aws_lb_listener.https", "id"), made);
  EXPECT_EQ(AwsCli("elbv2 describe-listeners --load-balancer-arn " + lb)["Listeners"].size(), 2u);
  EXPECT_EQ(Changes(PlanChanges()), "");
  Destroy();
}

TEST_F(AwsLbTest, TargetGroupOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(
      "[resource.aws_lb_target_group.app]\nname = \"app\"\nport = 80\nprotocol = \"HTTP\"\nvpc_id = \"" + vpc_ +
          "\"\n",
      "target group \"app\"", [&] {
        json groups = AwsCli("elbv2 describe-target-groups --names app");
        return TagsOf(AwsCli("elbv2 describe-tags --resource-arns " +
                             groups["TargetGroups"][0]["TargetGroupArn"].get<std::string>())["TagDescriptions"][0]["Tags"]);
      });
}

}  // namespace
}  // namespace reconcile::testing
