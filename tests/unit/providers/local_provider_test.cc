// The local provider through the Provider interface, in-process and as the
// reconcile-provider-local plugin (every case runs both ways), on real files.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "file_io.h"
#include "local_provider.h"
#include "provider_modes.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

constexpr const char* kHelloSha1 = "f572d396fae9206628714fb2ce00f72e94f2258f";
constexpr const char* kEditedSha1 = "2325363b0ca17d69110822059180563b910038b2";

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

mode_t Umasked(mode_t mode) { return mode & ~local_provider::ProcessUmask(); }

class LocalProviderTest : public ::testing::TestWithParam<ProviderMode> {
 protected:
  void SetUp() override {
    provider_ = ProviderIn(GetParam(), MakeLocalProvider, "local");
    ASSERT_NE(provider_, nullptr);
  }

  Value FileConfig(const std::string& filename, const std::string& content) {
    return Value::Map({{"filename", Value::String(filename)},
                       {"content", Value::String(content)},
                       {"file_permission", Value::String("0640")},
                       {"directory_permission", Value::String("0750")}});
  }

  // Plans (as the engine would) and applies a create; returns the new state.
  Value CreateFile(const std::string& type, const Value& config) {
    PlanResponse plan = provider_->PlanResource({type, type + ".f", Value(), config, config});
    EXPECT_FALSE(plan.diagnostics.HasErrors()) << plan.diagnostics.ToString();
    ApplyResponse response = provider_->ApplyResource(
        ApplyOf(ApplyAction::kCreate, type, "f", Value(), plan.planned_state));
    EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
    return response.new_state;
  }

  Value ReadBack(const Value& state) {
    ReadResponse read = provider_->ReadResource({"local_file", "local_file.f", state});
    EXPECT_FALSE(read.diagnostics.HasErrors()) << read.diagnostics.ToString();
    return read.new_state;
  }

  TempDir dir_;
  std::unique_ptr<Provider> provider_;
};

TEST_P(LocalProviderTest, PlanComputesDigestsWhenTheContentIsKnown) {
  Value config = FileConfig(dir_.path() + "/a.txt", "hello\n");
  PlanResponse known =
      provider_->PlanResource({"local_file", "local_file.a", Value(), config, config});
  EXPECT_EQ(known.planned_state.Find("id")->AsString(), kHelloSha1);
  EXPECT_EQ(known.planned_state.Find("content_md5")->AsString(),
            "b1946ac92492d2347c6235b4d2611184");
  config.Set("content", Value::Unknown());
  PlanResponse unknown =
      provider_->PlanResource({"local_file", "local_file.a", Value(), config, config});
  EXPECT_TRUE(unknown.planned_state.Find("id")->is_unknown());
  EXPECT_TRUE(unknown.planned_state.Find("content_sha256")->is_unknown());
}

TEST_P(LocalProviderTest, CreateWritesTheFileWithItsModesAndDigests) {
  // Given a file in directories that do not exist yet
  std::string filename = dir_.path() + "/deep/er/hello.txt";
  // When it is created
  Value state = CreateFile("local_file", FileConfig(filename, "hello\n"));
  // Then the file holds the content with the configured modes (less the umask)
  EXPECT_EQ(dir_.Read("deep/er/hello.txt"), "hello\n");
  EXPECT_EQ(ModeOf(filename), Umasked(0640));
  EXPECT_EQ(ModeOf(dir_.path() + "/deep/er"), Umasked(0750));
  // And the state carries the digests
  EXPECT_EQ(state.Find("id")->AsString(), kHelloSha1);
  EXPECT_EQ(state.Find("content_sha1")->AsString(), kHelloSha1);
  EXPECT_EQ(state.Find("content_sha256")->AsString(),
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  EXPECT_EQ(state.Find("content_base64sha256")->AsString(),
            "WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM=");
  // And no temporary file is left behind
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path() + "/deep/er"),
                          std::filesystem::directory_iterator()),
            1);
}

TEST_P(LocalProviderTest, AnUnchangedFileReadsBackAsItWas) {
  Value state = CreateFile("local_file", FileConfig(dir_.path() + "/a.txt", "hello\n"));
  EXPECT_EQ(ReadBack(state), state);
}

TEST_P(LocalProviderTest, ADeletedFileReadsAsGone) {
  Value state = CreateFile("local_file", FileConfig(dir_.path() + "/a.txt", "hello\n"));
  std::filesystem::remove(dir_.path() + "/a.txt");
  EXPECT_TRUE(ReadBack(state).is_null());
}

TEST_P(LocalProviderTest, AnEditedFileReadsBackItsNewContentAndMode) {
  // Given a created file edited and chmodded outside reconcile
  Value state = CreateFile("local_file", FileConfig(dir_.path() + "/a.txt", "hello\n"));
  dir_.Write("a.txt", "edited\n");
  ::chmod((dir_.path() + "/a.txt").c_str(), 0604);
  // When it is read, then the state shows what is on disk
  Value read = ReadBack(state);
  EXPECT_EQ(read.Find("content")->AsString(), "edited\n");
  EXPECT_EQ(read.Find("id")->AsString(), kEditedSha1);
  EXPECT_EQ(read.Find("file_permission")->AsString(), "0604");
  // And an update back to the configuration restores the file
  Value planned = provider_
                      ->PlanResource({"local_file", "local_file.f", read,
                                      FileConfig(dir_.path() + "/a.txt", "hello\n"),
                                      FileConfig(dir_.path() + "/a.txt", "hello\n")})
                      .planned_state;
  ApplyResponse updated =
      provider_->ApplyResource(ApplyOf(ApplyAction::kUpdate, "local_file", "f", read, planned));
  ASSERT_FALSE(updated.diagnostics.HasErrors()) << updated.diagnostics.ToString();
  EXPECT_EQ(dir_.Read("a.txt"), "hello\n");
  EXPECT_EQ(ModeOf(dir_.path() + "/a.txt"), Umasked(0640));
  EXPECT_EQ(updated.new_state.Find("id")->AsString(), kHelloSha1);
}

TEST_P(LocalProviderTest, Base64ContentWritesBinaryBytes) {
  Value config = Value::Map({{"filename", Value::String(dir_.path() + "/bin")},
                             {"content_base64", Value::String("AAEC/w==")}});
  Value state = CreateFile("local_file", config);
  EXPECT_EQ(dir_.Read("bin"), std::string("\x00\x01\x02\xff", 4));
  EXPECT_EQ(state.Find("id")->AsString(), "c62c27924f4c967f5eddb1850c091d54c7a2ab58");
  dir_.Write("bin", std::string("\xfb\xff\xfe", 3));
  EXPECT_EQ(ReadBack(state).Find("content_base64")->AsString(), "+//+");
}

TEST_P(LocalProviderTest, SourceCopiesAnotherFile) {
  dir_.Write("template.txt", "hello\n");
  Value config = Value::Map({{"filename", Value::String(dir_.path() + "/copy.txt")},
                             {"source", Value::String(dir_.path() + "/template.txt")}});
  Value state = CreateFile("local_file", config);
  EXPECT_EQ(dir_.Read("copy.txt"), "hello\n");
  EXPECT_EQ(state.Find("id")->AsString(), kHelloSha1);
}

TEST_P(LocalProviderTest, DeleteRemovesTheFileAndToleratesItsAbsence) {
  Value state = CreateFile("local_file", FileConfig(dir_.path() + "/a.txt", "hello\n"));
  for (int i = 0; i < 2; ++i) {
    ApplyResponse deleted =
        provider_->ApplyResource(ApplyOf(ApplyAction::kDelete, "local_file", "f", state, Value()));
    EXPECT_TRUE(deleted.diagnostics.empty()) << deleted.diagnostics.ToString();
    EXPECT_TRUE(deleted.new_state.is_null());
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/a.txt"));
}

TEST_P(LocalProviderTest, ValidationWantsExactlyOneContentAndOctalModes) {
  Diagnostics none =
      provider_->ValidateResource("local_file", Value::Map({{"filename", Value::String("x")}}));
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].summary, "Exactly one of content, content_base64 or source must be set");
  EXPECT_EQ(none[0].detail, "0 of them are set.");
  Diagnostics bad_mode = provider_->ValidateResource(
      "local_file", Value::Map({{"filename", Value::String("x")},
                                {"content", Value::String("y")},
                                {"file_permission", Value::String("rw-r--r--")}}));
  ASSERT_EQ(bad_mode.size(), 1u);
  EXPECT_EQ(bad_mode[0].summary, "file_permission must be an octal mode such as \"0644\"");
}

TEST_P(LocalProviderTest, ASensitiveFileDefaultsToOwnerOnlyAndHidesItsContent) {
  std::string filename = dir_.path() + "/secret.txt";
  Value state = CreateFile("local_sensitive_file",
                           Value::Map({{"filename", Value::String(filename)},
                                       {"content", Value::String("hello\n").MarkedSensitive()}}));
  EXPECT_EQ(ModeOf(filename), Umasked(0700));
  EXPECT_TRUE(provider_->Schema().resources.at("local_sensitive_file").Find("content")->sensitive);
  dir_.Write("secret.txt", "edited\n");
  ReadResponse read =
      provider_->ReadResource({"local_sensitive_file", "local_sensitive_file.f", state});
  EXPECT_EQ(*read.new_state.Find("content"), Value::String("edited\n").MarkedSensitive());
}

TEST_P(LocalProviderTest, TheDataSourceReadsAFile) {
  dir_.Write("in.txt", "hello\n");
  DataResponse data = provider_->ReadDataSource(
      {"local_file", "data.local_file.in",
       Value::Map({{"filename", Value::String(dir_.path() + "/in.txt")}})});
  ASSERT_FALSE(data.diagnostics.HasErrors()) << data.diagnostics.ToString();
  EXPECT_EQ(data.state.Find("content")->AsString(), "hello\n");
  EXPECT_EQ(data.state.Find("content_base64")->AsString(), "aGVsbG8K");
  EXPECT_EQ(data.state.Find("id")->AsString(), kHelloSha1);
  DataResponse missing =
      provider_->ReadDataSource({"local_file", "data.local_file.none",
                                 Value::Map({{"filename", Value::String(dir_.path() + "/none")}})});
  ASSERT_EQ(missing.diagnostics.size(), 1u);
  EXPECT_EQ(missing.diagnostics[0].summary, "Cannot read " + dir_.path() + "/none");
  EXPECT_EQ(missing.diagnostics[0].detail, "The file does not exist.");
  EXPECT_EQ(missing.diagnostics[0].address, "data.local_file.none");
}

INSTANTIATE_TEST_SUITE_P(BothWays, LocalProviderTest,
                         ::testing::Values(ProviderMode::kInProcess, ProviderMode::kPlugin),
                         ModeName);

TEST(LocalProviderRelativePathTest, RelativeFilenamesResolveAgainstTheWorkingDirectory) {
  // Given the working directory in a stack directory when the provider starts
  TempDir stack;
  std::string previous = std::filesystem::current_path();
  std::filesystem::current_path(stack.path());
  for (ProviderMode mode : {ProviderMode::kInProcess, ProviderMode::kPlugin}) {
    std::unique_ptr<Provider> provider = ProviderIn(mode, MakeLocalProvider, "local");
    ASSERT_NE(provider, nullptr);
    std::string name = mode == ProviderMode::kPlugin ? "plugin.txt" : "in-process.txt";
    // When a relative filename is applied
    Value planned =
        Value::Map({{"filename", Value::String("out/" + name)}, {"content", Value::String("x")}});
    ApplyResponse created =
        provider->ApplyResource(ApplyOf(ApplyAction::kCreate, "local_file", "f", Value(), planned));
    EXPECT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
    // Then the file is in the stack directory
    EXPECT_EQ(stack.Read("out/" + name), "x");
  }
  std::filesystem::current_path(previous);
}

}  // namespace
}  // namespace reconcile::testing
