// aws_ecr_repository, aws_ecr_lifecycle_policy, aws_ecr_repository_policy and
// data aws_ecr_image through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

struct RepoSettings {
  std::string name = "app";
  std::string mutability = "IMMUTABLE";
  bool scan = true;
  std::string tag = "v1";
  int keep = 10;
  std::string principal = "arn:aws:iam::123456789012:root";
  bool force_delete = false;
};

std::string RepoStack(const RepoSettings& s) {
  return "[resource.aws_ecr_repository.app]\nname = \"" + s.name + "\"\nimage_tag_mutability = \"" + s.mutability +
         "\"\nimage_scanning_configuration = { scan_on_push = " + (s.scan ? "true" : "false") +
         " }\nforce_delete = " + (s.force_delete ? "true" : "false") + "\ntags = { Version = \"" + s.tag + "\" }\n\n"
         "[resource.aws_ecr_lifecycle_policy.app]\nrepository = \"${aws_ecr_repository.app.name}\"\n"
         "policy = '${jsonencode({ rules = [{ rulePriority = 1, description = \"keep\", selection = { tagStatus = \"any\", "
         "countType = \"imageCountMoreThan\", countNumber = " + std::to_string(s.keep) +
         " }, action = { type = \"expire\" } }] })}'\n\n"
         "[resource.aws_ecr_repository_policy.app]\nrepository = \"${aws_ecr_repository.app.name}\"\n"
         "policy = '${jsonencode({ Version = \"2012-10-17\", Statement = [{ Sid = \"pull\", Effect = \"Allow\", "
         "Principal = { AWS = \"" + s.principal + "\" }, Action = [\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\"] }] })}'\n";
}

const char* kManifest =
    R"('{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":1,"mediaType":"application/vnd.docker.container.image.v1+json"},"layers":[]}')";

class AwsEcrTest : public AwsStackTest {
 protected:
  json Repository(const std::string& name) {
    return AwsCli("ecr describe-repositories --repository-names " + name)["repositories"][0];
  }
  std::size_t RepositoryCount() { return AwsCli("ecr describe-repositories")["repositories"].size(); }
  std::map<std::string, std::string> Tags(const std::string& arn) {
    return TagsOf(AwsCli("ecr list-tags-for-resource --resource-arn " + arn)["tags"]);
  }
  json Lifecycle(const std::string& name) {
    return json::parse(AwsCli("ecr get-lifecycle-policy --repository-name " + name)["lifecyclePolicyText"].get<std::string>());
  }
  json Policy(const std::string& name) {
    return json::parse(AwsCli("ecr get-repository-policy --repository-name " + name)["policyText"].get<std::string>());
  }
  std::string PushImage(const std::string& repository, const std::string& tag) {
    return AwsCli("ecr put-image --repository-name " + repository + " --image-tag " + tag + " --image-manifest " +
                  kManifest)["image"]["imageId"]["imageDigest"];
  }
};

TEST_F(AwsEcrTest, RepositoryWithPoliciesCreateUpdateReplaceImportDestroy) {
  // Given a repository with scan on push, immutable tags, a lifecycle policy and a repository policy
  RepoSettings s;
  WriteStack(RepoStack(s));
  Apply();

  // Then ECR holds them as configured
  json repo = Repository("app");
  EXPECT_EQ(repo["imageTagMutability"], "IMMUTABLE");
  EXPECT_EQ(repo["imageScanningConfiguration"]["scanOnPush"], true);
  EXPECT_EQ(repo["encryptionConfiguration"]["encryptionType"], "AES256");
  EXPECT_EQ(Attr("aws_ecr_repository.app", "repository_url"), repo["repositoryUri"]);
  EXPECT_EQ(Attr("aws_ecr_repository.app", "repository_url"), "123456789012.dkr.ecr.us-east-1.amazonaws.com/app");
  EXPECT_EQ(Attr("aws_ecr_repository.app", "arn"), repo["repositoryArn"]);
  EXPECT_EQ(Attr("aws_ecr_repository.app", "registry_id"), "123456789012");
  std::map<std::string, std::string> tags = Tags(repo["repositoryArn"]);
  EXPECT_EQ(tags["Version"], "v1");
  EXPECT_EQ(tags["reconcile:address"], "aws_ecr_repository.app");
  EXPECT_EQ(Lifecycle("app")["rules"][0]["selection"]["countNumber"], 10);
  EXPECT_EQ(Policy("app")["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::123456789012:root");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When mutability, scanning, tags and both policies change, all change in place
  s.mutability = "MUTABLE";
  s.scan = false;
  s.tag = "v2";
  s.keep = 5;
  s.principal = "arn:aws:iam::123456789012:role/ci";
  WriteStack(RepoStack(s));
  EXPECT_EQ(Changes(Apply()),
            "update aws_ecr_lifecycle_policy.app\nupdate aws_ecr_repository.app\nupdate aws_ecr_repository_policy.app\n");
  repo = Repository("app");
  EXPECT_EQ(repo["imageTagMutability"], "MUTABLE");
  EXPECT_EQ(repo["imageScanningConfiguration"]["scanOnPush"], false);
  EXPECT_EQ(Tags(repo["repositoryArn"])["Version"], "v2");
  EXPECT_EQ(Lifecycle("app")["rules"][0]["selection"]["countNumber"], 5);
  EXPECT_EQ(Policy("app")["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::123456789012:role/ci");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces the repository and, through it, both policies
  s.name = "app2";
  WriteStack(RepoStack(s));
  EXPECT_EQ(Changes(Apply()),
            "replace aws_ecr_lifecycle_policy.app [repository]\nreplace aws_ecr_repository.app [name]\n"
            "replace aws_ecr_repository_policy.app [repository]\n");
  EXPECT_EQ(RepositoryCount(), 1u);
  EXPECT_EQ(Lifecycle("app2")["rules"][0]["selection"]["countNumber"], 5);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import of all three matches the configuration (force_delete lives only in state)
  for (const char* a : {"aws_ecr_repository.app", "aws_ecr_lifecycle_policy.app", "aws_ecr_repository_policy.app"})
    ASSERT_FALSE(RemoveFromState(a).HasErrors());
  Import("aws_ecr_repository.app", "app2");
  Import("aws_ecr_lifecycle_policy.app", "app2");
  Import("aws_ecr_repository_policy.app", "app2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A repository holding an image refuses its destroy without force_delete...
  PushImage("app2", "v1");
  WriteStack("");
  std::string refused = ApplyAllowingErrors().ToString();
  EXPECT_NE(refused.find("ECR repository app2 of aws_ecr_repository.app still holds images"), std::string::npos)
      << refused;
  EXPECT_EQ(RepositoryCount(), 1u);

  // ...and goes with it
  s.force_delete = true;
  WriteStack(RepoStack(s));
  Apply();
  Destroy();
  EXPECT_EQ(RepositoryCount(), 0u);
}

TEST_F(AwsEcrTest, ImageDataSourceReadsByTagAndMostRecent) {
  // Given a repository with an image pushed to it
  WriteStack("[resource.aws_ecr_repository.app]\nname = \"web\"\n");
  Apply();
  std::string digest = PushImage("web", "release-1");

  // When the image is read by tag and as the most recent
  WriteStack("[resource.aws_ecr_repository.app]\nname = \"web\"\n\n"
             "[data.aws_ecr_image.tagged]\nrepository_name = \"${aws_ecr_repository.app.name}\"\nimage_tag = \"release-1\"\n\n"
             "[data.aws_ecr_image.latest]\nrepository_name = \"web\"\nmost_recent = true\n");
  Apply();

  // Then both find it, with a URI pinned to its digest
  EXPECT_EQ(Attr("data.aws_ecr_image.tagged", "image_digest"), digest);
  EXPECT_EQ(Attr("data.aws_ecr_image.tagged", "image_uri"),
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@" + digest);
  EXPECT_EQ(Attr("data.aws_ecr_image.tagged", "image_tags"), "[\"release-1\"]");
  EXPECT_EQ(Attr("data.aws_ecr_image.latest", "id"), digest);
  EXPECT_EQ(Attr("data.aws_ecr_image.latest", "image_tag"), "release-1");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // and a tag that does not exist is an error naming the repository
  WriteStack("[resource.aws_ecr_repository.app]\nname = \"web\"\n\n"
             "[data.aws_ecr_image.missing]\nrepository_name = \"web\"\nimage_tag = \"nope\"\n");
  std::string missing = ApplyAllowingErrors().ToString();
  EXPECT_NE(missing.find("ImageNotFoundException"), std::string::npos) << missing;
}

TEST_F(AwsEcrTest, InterruptedRepositoryCreateIsAdopted) {
  // Given a repository create that was never recorded
  WriteStack("[resource.aws_ecr_repository.app]\nname = \"app\"\ntags = { Team = \"web\" }\n");
  std::string id = InterruptedCreate(
      "aws_ecr_repository", "aws_ecr_repository.app",
      Value::Map({{"name", Value::String("app")}, {"image_tag_mutability", Value::String("MUTABLE")},
                  {"tags", Value::Map({{"Team", Value::String("web")}})}}));
  ASSERT_EQ(id, "app");

  // When applied, it is adopted: no error, one repository
  Apply();
  EXPECT_EQ(Attr("aws_ecr_repository.app", "id"), "app");
  EXPECT_EQ(RepositoryCount(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");
}

TEST_F(AwsEcrTest, RepositoryOfAnotherWorkspaceIsNotTakenOver) {
  ExpectTakenByOtherWorkspace("[resource.aws_ecr_repository.app]\nname = \"shared\"\n", "ECR repository \"shared\"",
                              [&] {
                                return TagsOf(AwsCli("ecr list-tags-for-resource --resource-arn "
                                                     "arn:aws:ecr:us-east-1:123456789012:repository/shared")["tags"]);
                              });
}

}  // namespace
}  // namespace reconcile::testing
