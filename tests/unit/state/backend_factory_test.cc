#include <filesystem>

#include <gtest/gtest.h>

#include "reconcile/backend.h"
#include "reconcile/state.h"
#include "state/local_backend.h"
#include "support/temp_dir.h"

namespace reconcile {
namespace {

using testing::TempDir;

TEST(BackendFactory, LocalIsTheDefaultUnderTheStack) {
  TempDir tmp;
  Diagnostics diags;
  std::unique_ptr<Backend> backend = MakeBackend(BackendConfig{"", Value(), tmp.path()}, &diags);
  ASSERT_NE(backend, nullptr) << diags.ToString();
  EXPECT_EQ(backend->Name(), "local");
  EXPECT_EQ(static_cast<LocalBackend*>(backend.get())->state_dir(), tmp.path() + "/.reconcile/state");
}

TEST(BackendFactory, LocalPathIsRelativeToTheStack) {
  TempDir tmp;
  Diagnostics diags;
  std::unique_ptr<Backend> backend =
      MakeBackend(BackendConfig{"local", Value::Map({{"path", Value::String("states")}}), tmp.path()}, &diags);
  ASSERT_NE(backend, nullptr) << diags.ToString();
  State state;
  state.lineage = "L";
  ASSERT_FALSE(backend->WriteState("default", StateWrite{SerializeState(state), "L", 0}).HasErrors());
  EXPECT_TRUE(std::filesystem::exists(tmp.path() + "/states/default.json"));

  backend = MakeBackend(BackendConfig{"local", Value::Map({{"path", Value::String("/abs/dir")}}), tmp.path()}, &diags);
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(static_cast<LocalBackend*>(backend.get())->state_dir(), "/abs/dir");
}

TEST(BackendFactory, UnknownSettingOrTypeIsAnError) {
  Diagnostics diags;
  EXPECT_EQ(MakeBackend(BackendConfig{"local", Value::Map({{"bucket", Value::String("x")}}), "/s"}, &diags), nullptr);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "[backend.local]: unknown setting \"bucket\"");
  EXPECT_EQ(diags[0].detail, "the local backend takes: path");

  Diagnostics type_diags;
  EXPECT_EQ(MakeBackend(BackendConfig{"ftp", Value(), "/s"}, &type_diags), nullptr);
  ASSERT_EQ(type_diags.size(), 1u);
  EXPECT_EQ(type_diags[0].summary, "unknown backend type \"ftp\"");
  EXPECT_EQ(type_diags[0].detail.rfind("expected [backend.<type>] with one of: local", 0), 0u);
}

}  // namespace
}  // namespace reconcile
