"""What each example's load_balancer.toml builds, checked with the aws CLI
(independently of the tool): the balancer and its listeners (HTTP redirects
to HTTPS; HTTPS ends TLS with the certificate and forwards), the listener
rules, the target groups' health checks, the certificate's domain and
status, its validation records, the alias record of the site, and the
services registered with the target groups. Mixed into an ExampleTestCase."""
import json
import subprocess

# The resources a load_balancer.toml adds (a security group, the balancer, the
# certificate, one validation record, the validation, two listeners, the
# alias record), before its target groups and rules.
LOAD_BALANCER_RESOURCES = 8



class LoadBalancerChecks:
    account = None  # the account the checks look in (None: the test's own)

    def lb_cli(self, *args):
        """One aws CLI call in self.account (through a role assumed there, as
        ExampleTestCase.aws does), its JSON answer parsed."""
        if self.account is None:
            return self.aws_cli(*args)
        assumed = self.aws("sts").assume_role(RoleArn="arn:aws:iam::%s:role/e2e-observer" % self.account,
                                              RoleSessionName="e2e-cli")["Credentials"]
        env = {k: v for k, v in self.env.items()
               if k not in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")}
        env.update({"AWS_ACCESS_KEY_ID": assumed["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": assumed["SecretAccessKey"],
                    "AWS_SESSION_TOKEN": assumed["SessionToken"]})
        proc = subprocess.run(["aws", "--endpoint-url", self.moto.url, "--region", self.region, "--output", "json"]
                              + list(args), env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, "aws %s\n%s" % (" ".join(args), proc.stderr))
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def create_zone(self, name):
        """The hosted zone the stack's data.aws_route53_zone finds (kept outside the stack)."""
        zone = self.lb_cli("route53", "create-hosted-zone", "--name", name, "--caller-reference", "e2e-" + name)
        return zone["HostedZone"]["Id"].rsplit("/", 1)[1]

    def check_load_balancer(self, name, domain, zone_id, target_groups, rules=None, services=None):
        """The balancer `name` serving `domain`. target_groups: name -> (port,
        health check path, matcher, interval); rules: priority -> (path
        patterns, target group name); services: (cluster, service) -> target group name."""
        [lb] = self.lb_cli("elbv2", "describe-load-balancers", "--names", name)["LoadBalancers"]
        self.assertEqual((lb["Type"], lb["Scheme"], lb["State"]["Code"]), ("application", "internet-facing", "active"))

        groups = {}
        for group_name, (port, path, matcher, interval) in target_groups.items():
            [group] = self.lb_cli("elbv2", "describe-target-groups", "--names", group_name)["TargetGroups"]
            self.assertEqual((group["Port"], group["Protocol"], group["TargetType"]), (port, "HTTP", "ip"), group_name)
            self.assertEqual((group["HealthCheckPath"], group["Matcher"]["HttpCode"], group["HealthCheckIntervalSeconds"]),
                             (path, matcher, interval), group_name)
            self.assertEqual(group["VpcId"], lb["VpcId"], group_name)
            groups[group_name] = group["TargetGroupArn"]

        certificates = [c for c in self.lb_cli("acm", "list-certificates", "--certificate-statuses", "ISSUED",
                                                 "PENDING_VALIDATION")["CertificateSummaryList"]
                        if c["DomainName"] == domain]
        self.assertEqual(len(certificates), 1, certificates)
        certificate = self.lb_cli("acm", "describe-certificate", "--certificate-arn",
                                   certificates[0]["CertificateArn"])["Certificate"]
        self.assertEqual((certificate["DomainName"], certificate["Status"]), (domain, "ISSUED"))

        listeners = {l["Port"]: l for l in self.lb_cli("elbv2", "describe-listeners", "--load-balancer-arn",
                                                        lb["LoadBalancerArn"])["Listeners"]}
        self.assertEqual(sorted(listeners), [80, 443])
        [redirect] = listeners[80]["DefaultActions"]
        self.assertEqual((redirect["Type"], redirect["RedirectConfig"]["Protocol"], redirect["RedirectConfig"]["Port"],
                          redirect["RedirectConfig"]["StatusCode"]), ("redirect", "HTTPS", "443", "HTTP_301"))
        https = listeners[443]
        self.assertEqual((https["Protocol"], https["SslPolicy"]), ("HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06"))
        self.assertEqual([c["CertificateArn"] for c in https["Certificates"]], [certificate["CertificateArn"]])
        [forward] = https["DefaultActions"]
        self.assertEqual(forward["Type"], "forward")
        self.assertIn(forward["TargetGroupArn"], groups.values())

        found_rules = {}
        for rule in self.lb_cli("elbv2", "describe-rules", "--listener-arn", https["ListenerArn"])["Rules"]:
            if rule.get("IsDefault"):
                continue
            [condition] = rule["Conditions"]
            patterns = condition.get("PathPatternConfig", {}).get("Values") or condition.get("Values")
            [action] = rule["Actions"]
            group_name = [n for n, arn in groups.items() if arn == action["TargetGroupArn"]]
            found_rules[int(rule["Priority"])] = (sorted(patterns), group_name[0] if group_name else None)
        self.assertEqual(found_rules, {p: (sorted(v[0]), v[1]) for p, v in (rules or {}).items()})

        records = self.lb_cli("route53", "list-resource-record-sets", "--hosted-zone-id", zone_id)["ResourceRecordSets"]
        by_name = {(r["Name"], r["Type"]): r for r in records}
        for option in certificate["DomainValidationOptions"]:
            wanted = option["ResourceRecord"]
            record = by_name.get((wanted["Name"], wanted["Type"]))
            self.assertIsNotNone(record, "no validation record %s in %s" % (wanted["Name"], sorted(by_name)))
            self.assertEqual([v["Value"] for v in record["ResourceRecords"]], [wanted["Value"]])
        alias = by_name[(domain + ".", "A")]["AliasTarget"]
        self.assertEqual((alias["DNSName"].rstrip(".").lower(), alias["HostedZoneId"], alias["EvaluateTargetHealth"]),
                         (lb["DNSName"].lower(), lb["CanonicalHostedZoneId"], True))

        for (cluster, service_name), group_name in (services or {}).items():
            [service] = self.aws("ecs", account=self.account).describe_services(cluster=cluster, services=[service_name])["services"]
            self.assertEqual([b["targetGroupArn"] for b in service["loadBalancers"]], [groups[group_name]], service_name)
        return lb

    def check_load_balancer_gone(self, name, domain):
        balancers = self.lb_cli("elbv2", "describe-load-balancers")["LoadBalancers"]
        self.assertEqual([b["LoadBalancerName"] for b in balancers if b["LoadBalancerName"] == name], [])
        certificates = self.lb_cli("acm", "list-certificates", "--certificate-statuses", "ISSUED",
                                    "PENDING_VALIDATION")["CertificateSummaryList"]
        self.assertEqual([c for c in certificates if c["DomainName"] == domain], [])
