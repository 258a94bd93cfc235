// aws_db_subnet_group, aws_db_parameter_group and aws_db_instance through the
// engine against moto, checked with the aws CLI.
#include <cstdlib>
#include <iostream>

#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

struct DbSettings {
  std::string db_class = "db.t3.micro";
  int storage = 20;
  std::string password = "first-secret-1";
  std::string db_name = "app";
  std::string parameter_value = "500";
  std::string extra_parameter;
  std::string tag = "v1";
  bool deletion_protection = false;
};

std::string Network() {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n"
         "availability_zone = \"us-east-1a\"\n\n"
         "[resource.aws_subnet.b]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.2.0/24\"\n"
         "availability_zone = \"us-east-1b\"\n\n"
         "[resource.aws_security_group.db]\nname = \"db\"\nvpc_id = \"${aws_vpc.main.id}\"\n\n";
}

std::string Groups(const DbSettings& s) {
  return "[resource.aws_db_subnet_group.app]\nname = \"app-db\"\n"
         "subnet_ids = [\"${aws_subnet.a.id}\", \"${aws_subnet.b.id}\"]\ntags = { Version = \"" + s.tag + "\" }\n\n"
         "[resource.aws_db_parameter_group.app]\nname = \"app-pg\"\nfamily = \"postgres15\"\n"
         "parameter = [{ name = \"log_min_duration_statement\", value = \"" + s.parameter_value + "\" }" +
         s.extra_parameter + "]\n\n";
}

std::string Database(const DbSettings& s) {
  return "[resource.aws_db_instance.app]\nidentifier = \"app\"\nengine = \"postgres\"\nengine_version = \"15.4\"\n"
         "instance_class = \"" + s.db_class + "\"\nallocated_storage = " + std::to_string(s.storage) + "\n"
         "db_name = \"" + s.db_name + "\"\nusername = \"app\"\npassword = \"" + s.password + "\"\n"
         "db_subnet_group_name = \"${aws_db_subnet_group.app.name}\"\n"
         "vpc_security_group_ids = [\"${aws_security_group.db.id}\"]\n"
         "parameter_group_name = \"${aws_db_parameter_group.app.name}\"\n"
         "backup_retention_period = 7\nbackup_window = \"03:00-03:30\"\n"
         "deletion_protection = " + (s.deletion_protection ? "true" : "false") + "\n"
         "skip_final_snapshot = true\napply_immediately = true\ntags = { Version = \"" + s.tag + "\" }\n";
}

class AwsDbTest : public AwsStackTest {
 protected:
  // The aws CLI (v1) replaces AWS_ENDPOINT_URL for rds with its own URL: name moto explicitly.
  json Rds(const std::string& args) {
    return AwsCli("rds " + args + " --endpoint-url " + std::getenv("AWS_ENDPOINT_URL"));
  }
  void WriteDb(const DbSettings& s) { WriteStack(Network() + Groups(s) + Database(s)); }
  json Instance(const std::string& id) {
    return Rds("describe-db-instances --db-instance-identifier " + id)["DBInstances"][0];
  }
  std::size_t InstanceCount() { return Rds("describe-db-instances")["DBInstances"].size(); }
  std::map<std::string, std::string> Parameters(const std::string& group) {
    std::map<std::string, std::string> out;
    json got = Rds("describe-db-parameters --source user --db-parameter-group-name " + group);
    for (const json& p : got["Parameters"])
      out[p["ParameterName"].get<std::string>()] = p["ParameterValue"].get<std::string>() + "/" + p["ApplyMethod"].get<std::string>();
    return out;
  }
  std::map<std::string, std::string> RdsTags(const std::string& arn) {
    return TagsOf(Rds("list-tags-for-resource --resource-name " + arn)["TagList"]);
  }
};

TEST_F(AwsDbTest, CreateUpdateReplaceProtectImportDestroy) {
  // Given a Postgres database in a subnet group, with a parameter group and a security group
  DbSettings s;
  WriteDb(s);
  Plan created = Apply();
  EXPECT_NE(Changes(created).find("create aws_db_instance.app\n"), std::string::npos) << Changes(created);
  // the password is sensitive in the plan
  const Value* password = ChangeFor(created, "aws_db_instance.app").after.Find("password");
  ASSERT_NE(password, nullptr);
  EXPECT_TRUE(password->sensitive());

  // Then AWS holds it as configured
  json db = Instance("app");
  EXPECT_EQ(db["Engine"], "postgres");
  EXPECT_EQ(db["DBInstanceClass"], "db.t3.micro");
  EXPECT_EQ(db["AllocatedStorage"], 20);
  EXPECT_EQ(db["DBSubnetGroup"]["DBSubnetGroupName"], "app-db");
  EXPECT_EQ(db["DBSubnetGroup"]["Subnets"].size(), 2u);
  EXPECT_EQ(db["VpcSecurityGroups"][0]["VpcSecurityGroupId"], Attr("aws_security_group.db", "id"));
  EXPECT_EQ(db["DBParameterGroups"][0]["DBParameterGroupName"], "app-pg");
  EXPECT_EQ(db["BackupRetentionPeriod"], 7);
  EXPECT_EQ(db["PreferredBackupWindow"], "03:00-03:30");
  EXPECT_EQ(db["DeletionProtection"], false);
  EXPECT_EQ(Parameters("app-pg"), (std::map<std::string, std::string>{{"log_min_duration_statement", "500/immediate"}}));
  std::string address = db["Endpoint"]["Address"];
  EXPECT_EQ(Attr("aws_db_instance.app", "address"), address);
  EXPECT_EQ(Attr("aws_db_instance.app", "endpoint"), address + ":5432");
  EXPECT_EQ(Attr("aws_db_instance.app", "port"), "5432");
  EXPECT_EQ(Attr("aws_db_instance.app", "arn"), db["DBInstanceArn"]);
  EXPECT_EQ(Attr("aws_db_subnet_group.app", "vpc_id"), Attr("aws_vpc.main", "id"));
  EXPECT_EQ(RdsTags(Attr("aws_db_subnet_group.app", "arn")).at("Version"), "v1");
  EXPECT_EQ(RdsTags(Attr("aws_db_instance.app", "arn")).at("reconcile:address"), "aws_db_instance.app");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When class, storage, password, a parameter and tags change, all change in place
  s.db_class = "db.t3.small";
  s.storage = 30;
  s.password = "second-secret-2";
  s.parameter_value = "1000";
  s.extra_parameter = ", { name = \"max_connections\", value = \"50\", apply_method = \"pending-reboot\" }";
  s.tag = "v2";
  WriteDb(s);
  EXPECT_EQ(Changes(Apply()),
            "update aws_db_instance.app\nupdate aws_db_parameter_group.app\nupdate aws_db_subnet_group.app\n");
  db = Instance("app");
  EXPECT_EQ(db["DBInstanceClass"], "db.t3.small");
  EXPECT_EQ(db["AllocatedStorage"], 30);
  EXPECT_EQ(Parameters("app-pg"), (std::map<std::string, std::string>{
                                      {"log_min_duration_statement", "1000/immediate"},
                                      {"max_connections", "50/pending-reboot"}}));
  EXPECT_EQ(RdsTags(Attr("aws_db_subnet_group.app", "arn")).at("Version"), "v2");
  EXPECT_EQ(RdsTags(Attr("aws_db_instance.app", "arn")).at("Version"), "v2");
  EXPECT_EQ(Attr("aws_db_instance.app", "password"), "second-secret-2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new database name replaces the database (the plan names the attribute)
  s.db_name = "app2";
  WriteDb(s);
  EXPECT_EQ(Changes(Apply()), "replace aws_db_instance.app [db_name]\n");
  EXPECT_EQ(Instance("app")["DBName"], "app2");
  EXPECT_EQ(InstanceCount(), 1u);

  // Deletion protection turned on in place
  s.deletion_protection = true;
  WriteDb(s);
  EXPECT_EQ(Changes(Apply()), "update aws_db_instance.app\n");
  EXPECT_EQ(Instance("app")["DeletionProtection"], true);

  // A protected database refuses a replacement in the plan...
  DbSettings renamed = s;
  renamed.db_name = "app3";
  WriteDb(renamed);
  std::string refused = ApplyAllowingErrors().ToString();
  EXPECT_NE(refused.find("aws_db_instance.app (DB instance app) has deletion_protection enabled: reconcile will not replace it"),
            std::string::npos) << refused;
  EXPECT_EQ(Instance("app")["DBName"], "app2");

  // ...and its destroy, before the subnet group it stands in is touched
  WriteStack(Network());
  refused = ApplyAllowingErrors().ToString();
  EXPECT_NE(refused.find("aws_db_instance.app (DB instance app) has deletion_protection enabled: reconcile will not destroy it"),
            std::string::npos) << refused;
  EXPECT_NE(refused.find("Set deletion_protection = false"), std::string::npos) << refused;
  EXPECT_EQ(InstanceCount(), 1u);
  EXPECT_EQ(Rds("describe-db-subnet-groups")["DBSubnetGroups"].size(), 1u);

  // Unprotected again, import of all three matches the configuration but the password,
  // which AWS never returns (and the apply-time flags kept in state)
  s.deletion_protection = false;
  WriteDb(s);
  EXPECT_EQ(Changes(Apply()), "update aws_db_instance.app\n");
  for (const char* a : {"aws_db_instance.app", "aws_db_subnet_group.app", "aws_db_parameter_group.app"})
    ASSERT_FALSE(RemoveFromState(a).HasErrors());
  Import("aws_db_subnet_group.app", "app-db");
  Import("aws_db_parameter_group.app", "app-pg");
  Import("aws_db_instance.app", "app");
  Plan after_import = PlanChanges();
  EXPECT_EQ(Changes(after_import), "update aws_db_instance.app\n");
  EXPECT_EQ(Attr("aws_db_instance.app", "password"), "");
  EXPECT_EQ(Changes(Apply()), "update aws_db_instance.app\n");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy removes the database and both groups
  Destroy();
  EXPECT_EQ(InstanceCount(), 0u);
  EXPECT_EQ(Rds("describe-db-subnet-groups")["DBSubnetGroups"].size(), 0u);
  EXPECT_EQ(Rds("describe-db-parameter-groups --query 'DBParameterGroups[?DBParameterGroupName==`app-pg`]'").size(), 0u);
}

TEST_F(AwsDbTest, DestroyWithoutFinalSnapshotSettingIsRefused) {
  // Given a MySQL database that neither skips nor names a final snapshot
  WriteStack("[resource.aws_db_instance.m]\nidentifier = \"m\"\nengine = \"mysql\"\ninstance_class = \"db.t3.micro\"\n"
             "allocated_storage = 20\nusername = \"root\"\npassword = \"mysql-secret\"\n");
  Apply();
  EXPECT_EQ(Instance("m")["Endpoint"]["Port"], 3306);
  EXPECT_EQ(Attr("aws_db_instance.m", "port"), "3306");
  // When it is removed, the delete is refused with what to set
  WriteStack("");
  std::string refused = ApplyAllowingErrors().ToString();
  EXPECT_NE(refused.find("aws_db_instance.m (DB instance m) needs a final snapshot"), std::string::npos) << refused;
  EXPECT_EQ(InstanceCount(), 1u);
  // With a final snapshot named, the destroy takes it
  WriteStack("[resource.aws_db_instance.m]\nidentifier = \"m\"\nengine = \"mysql\"\ninstance_class = \"db.t3.micro\"\n"
             "allocated_storage = 20\nusername = \"root\"\npassword = \"mysql-secret\"\nfinal_snapshot_identifier = \"m-final\"\n");
  EXPECT_EQ(Changes(Apply()), "update aws_db_instance.m\n");
  Destroy();
  EXPECT_EQ(InstanceCount(), 0u);
  EXPECT_EQ(Rds("describe-db-snapshots --db-snapshot-identifier m-final")["DBSnapshots"].size(), 1u);
}

TEST_F(AwsDbTest, InterruptedDatabaseCreateIsAdoptedThroughItsGeneratedIdentifier) {
  // Given a create of a database without an identifier, never recorded
  WriteStack("[resource.aws_db_instance.d]\nidentifier_prefix = \"web-\"\nengine = \"mysql\"\n"
             "instance_class = \"db.t3.micro\"\nallocated_storage = 20\nusername = \"root\"\n"
             "password = \"pw-123456\"\nskip_final_snapshot = true\n");
  std::string db = InterruptedCreate(
      "aws_db_instance", "aws_db_instance.d",
      Value::Map({{"identifier_prefix", Value::String("web-")}, {"engine", Value::String("mysql")},
                  {"instance_class", Value::String("db.t3.micro")}, {"allocated_storage", Value::Number(20)},
                  {"username", Value::String("root")}, {"password", Value::String("pw-123456")},
                  {"skip_final_snapshot", Value::Bool(true)}}));
  ASSERT_TRUE(db.starts_with("web-")) << db;

  // When applied, the identifier its token gives finds it: adopted, not made twice
  Apply();
  EXPECT_EQ(Attr("aws_db_instance.d", "id"), db);
  EXPECT_EQ(InstanceCount(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");
  Destroy();
  EXPECT_EQ(InstanceCount(), 0u);
}

TEST_F(AwsDbTest, InterruptedParameterGroupCreateIsAdoptedThroughItsGeneratedName) {
  // Given a create of a parameter group without a name, never recorded
  WriteStack("[resource.aws_db_parameter_group.p]\nfamily = \"mysql8.0\"\n");
  std::string group = InterruptedCreate(
      "aws_db_parameter_group", "aws_db_parameter_group.p",
      Value::Map({{"family", Value::String("mysql8.0")}, {"description", Value::String("Managed by Terraform")}}));
  ASSERT_TRUE(group.starts_with("reconcile-")) << group;

  // When applied, it is adopted
  Apply();
  EXPECT_EQ(Attr("aws_db_parameter_group.p", "id"), group);
  EXPECT_EQ(Rds("describe-db-parameter-groups --query 'DBParameterGroups[?starts_with(DBParameterGroupName, `reconcile-`)]'").size(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");
  Destroy();
  EXPECT_EQ(Rds("describe-db-parameter-groups --query 'DBParameterGroups[?starts_with(DBParameterGroupName, `reconcile-`)]'").size(), 0u);
}

TEST_F(AwsDbTest, SubnetGroupNameOfAnotherWorkspaceIsNotTakenOver) {
  ExpectTakenByOtherWorkspace(
      Network() + "[resource.aws_db_subnet_group.app]\nname = \"shared-db\"\n"
                  "subnet_ids = [\"${aws_subnet.a.id}\", \"${aws_subnet.b.id}\"]\n",
      "DB subnet group \"shared-db\"", [&] {
        return TagsOf(Rds("list-tags-for-resource --resource-name arn:aws:rds:us-east-1:123456789012:subgrp:shared-db")["TagList"]);
      });
}

}  // namespace
}  // namespace reconcile::testing
