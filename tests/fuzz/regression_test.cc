// Every committed fuzz input, replayed through the entry points the fuzzers
// use (fuzz_targets.h), in the normal build: each file under
// tests/fuzz/regressions/<target>/ (inputs that once crashed) is a test of
// its own, and each target's seed corpus is replayed as one test.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fuzz_targets.h"

namespace reconcile::fuzz {

// Lets GoogleTest name a target in messages.
void PrintTo(const FuzzTarget& target, std::ostream* os) { *os << target.name; }

namespace {

namespace fs = std::filesystem;

const fs::path kFuzzDir = RECONCILE_FUZZ_DIR;

const FuzzTarget* FindTarget(const std::string& name) {
  for (const FuzzTarget& target : AllTargets())
    if (target.name == name) return &target;
  return nullptr;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The files of a directory, sorted (none when it does not exist).
std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

struct RegressionInput {
  std::string target;
  fs::path path;
};

std::vector<RegressionInput> AllRegressionInputs() {
  std::vector<RegressionInput> inputs;
  std::vector<fs::path> targets;
  if (fs::is_directory(kFuzzDir / "regressions"))
    for (const fs::directory_entry& entry : fs::directory_iterator(kFuzzDir / "regressions"))
      if (entry.is_directory()) targets.push_back(entry.path());
  std::sort(targets.begin(), targets.end());
  for (const fs::path& dir : targets)
    for (const fs::path& file : FilesIn(dir)) inputs.push_back({dir.filename().string(), file});
  return inputs;
}

void PrintTo(const RegressionInput& input, std::ostream* os) { *os << input.path.string(); }

class FuzzRegression : public ::testing::TestWithParam<RegressionInput> {};

TEST_P(FuzzRegression, ReplaysWithoutFailing) {
  // Given an input that once crashed its target
  const RegressionInput& input = GetParam();
  const FuzzTarget* target = FindTarget(input.target);
  ASSERT_NE(target, nullptr) << "tests/fuzz/regressions/" << input.target
                             << " names no fuzz target";
  // When it is fed to the same entry point, it returns (a failure aborts)
  target->run(ReadFile(input.path));
}

std::string TestName(const ::testing::TestParamInfo<RegressionInput>& info) {
  std::string name = info.param.target + "_" + info.param.path.filename().string();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Inputs, FuzzRegression, ::testing::ValuesIn(AllRegressionInputs()),
                         TestName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzRegression);

class FuzzCorpus : public ::testing::TestWithParam<FuzzTarget> {};

TEST_P(FuzzCorpus, SeedsReplayWithoutFailing) {
  // Given the target's committed seed corpus (made from documents in the tree)
  std::vector<fs::path> seeds = FilesIn(kFuzzDir / "corpus" / std::string(GetParam().name));
  ASSERT_FALSE(seeds.empty()) << "tests/fuzz/corpus/" << GetParam().name << " is empty";
  // Then every seed goes through the entry point
  for (const fs::path& seed : seeds) {
    SCOPED_TRACE(seed.string());
    GetParam().run(ReadFile(seed));
  }
}

std::string TargetName(const ::testing::TestParamInfo<FuzzTarget>& info) {
  return std::string(info.param.name);
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, ::testing::ValuesIn(AllTargets()), TargetName);

TEST(FuzzLayout, EveryRegressionDirectoryNamesATarget) {
  for (const fs::directory_entry& entry : fs::directory_iterator(kFuzzDir / "regressions"))
    EXPECT_NE(FindTarget(entry.path().filename().string()), nullptr) << entry.path();
}

}  // namespace
}  // namespace reconcile::fuzz
