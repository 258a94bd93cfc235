#include "s3_backend_fixture.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "backends/s3/content_digest.h"
#include "reconcile/state.h"
#include "support/moto_server.h"
#include "support/temp_dir.h"

namespace reconcile::s3::testing {

namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

[[noreturn]] void RunLockHolder(LockKind lock, const std::string& endpoint, const std::string& workspace, int ready,
                                int command) {
  std::unique_ptr<Backend> backend = MakeTestBackend(lock, endpoint);
  LockInfo info;
  info.operation = "apply";
  info.who = "child@test";
  Diagnostics diags = backend ? backend->Lock(workspace, info, std::chrono::milliseconds(0)) : Diagnostics{};
  std::string reply = !backend || diags.HasErrors() ? "ERROR: " + diags.ToString() : info.id;
  (void)!::write(ready, reply.data(), reply.size());
  ::close(ready);
  char c = 'x';
  (void)!::read(command, &c, 1);
  if (c == 'u') (void)backend->Unlock(workspace, info.id);
  ::_exit(0);  // no destructors: 'x' leaves the lock behind as a crash would
}

}  // namespace

Value BackendBlock(LockKind lock, const std::string& endpoint) {
  ValueMap block = {{"bucket", Value::String(kBucket)},
                    {"key", Value::String(kKey)},
                    {"region", Value::String("us-east-1")},
                    {"endpoints", Value::Map({{"s3", Value::String(endpoint)}, {"dynamodb", Value::String(endpoint)}})}};
  if (lock == LockKind::kDynamoDb) {
    block["lock_table"] = Value::String(kTable);
  } else {
    block["lock"] = Value::String("s3");
  }
  return Value::Map(std::move(block));
}

std::unique_ptr<Backend> MakeTestBackend(LockKind lock, const std::string& endpoint) {
  Diagnostics diags;
  std::unique_ptr<Backend> backend = MakeBackend(BackendConfig{"s3", BackendBlock(lock, endpoint), "/nonexistent"}, &diags);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  return backend;
}

int RunAwsCli(const std::string& endpoint, const std::vector<std::string>& args, std::string* out) {
  reconcile::testing::TempDir tmp;
  std::string stderr_path = tmp.path() + "/stderr";
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(err, STDERR_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    std::vector<std::string> argv = {"aws", "--endpoint-url", endpoint, "--output", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (std::string& arg : argv) c_argv.push_back(arg.data());
    c_argv.push_back(nullptr);
    ::execvp("aws", c_argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  *out = ReadAll(pipe_fds[0]);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code != 0) *out += tmp.Read("stderr");
  return code;
}

nlohmann::json AwsCliJson(const std::string& endpoint, const std::vector<std::string>& args) {
  std::string out;
  int code = RunAwsCli(endpoint, args, &out);
  EXPECT_EQ(code, 0) << "aws " << args[0] << " " << args[1] << ": " << out;
  if (code != 0 || out.find_first_not_of(" \r\n") == std::string::npos) return nullptr;
  return nlohmann::json::parse(out, nullptr, false);
}

std::string StateDocument(const std::string& lineage, std::uint64_t serial) {
  State state;
  state.lineage = lineage;
  state.serial = serial;
  state.tool_version = "test";
  return SerializeState(state);
}

StateWrite StateAt(const std::string& lineage, std::uint64_t serial) {
  return StateWrite{StateDocument(lineage, serial), lineage, serial};
}

LockHolderProcess::LockHolderProcess(LockKind lock, const std::string& endpoint, const std::string& workspace) {
  int ready[2];
  int command[2];
  EXPECT_EQ(::pipe(ready), 0);
  EXPECT_EQ(::pipe(command), 0);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::close(ready[0]);
    ::close(command[1]);
    RunLockHolder(lock, endpoint, workspace, ready[1], command[0]);
  }
  ::close(ready[1]);
  ::close(command[0]);
  command_fd_ = command[1];
  ready_fd_ = ready[0];
}

LockHolderProcess::~LockHolderProcess() {
  if (pid_ > 0) Tell('x');
}

const std::string& LockHolderProcess::lock_id() {
  if (ready_fd_ >= 0) {
    id_ = ReadAll(ready_fd_);
    ::close(ready_fd_);
    ready_fd_ = -1;
  }
  return id_;
}

void LockHolderProcess::Tell(char command) {
  if (pid_ <= 0) return;
  (void)lock_id();  // the child locks before it listens
  (void)!::write(command_fd_, &command, 1);
  ::close(command_fd_);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void S3BackendTest::SetUp() {
  reconcile::testing::MotoServer& moto = reconcile::testing::MotoServer::Get();
  ASSERT_FALSE(moto.endpoint().empty());
  moto.Reset();
  moto.ExportEnvironment();
  endpoint_ = moto.endpoint();
  backend_ = NewBackend();
  ASSERT_NE(backend_, nullptr);
}

void S3BackendTest::Bootstrap() {
  std::vector<std::string> report;
  Diagnostics diags = backend_->Bootstrap(&report);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
}

std::vector<std::string> S3BackendTest::BucketKeys() const {
  nlohmann::json listing = AwsCliJson(endpoint_, {"s3api", "list-objects-v2", "--bucket", kBucket});
  std::vector<std::string> keys;
  if (listing.is_object() && listing.contains("Contents"))
    for (const nlohmann::json& object : listing["Contents"]) keys.push_back(object["Key"].get<std::string>());
  return keys;
}

void S3BackendTest::TamperDigest(const std::string& path, const std::string& digest,
                                 std::optional<std::uint64_t> serial) const {
  if (lock() == LockKind::kDynamoDb) {
    nlohmann::json item = {{"LockID", {{"S", std::string(kBucket) + "/" + path + "-md5"}}}, {"Digest", {{"S", digest}}}};
    if (serial) item["Serial"] = {{"N", std::to_string(*serial)}};
    AwsCliJson(endpoint_, {"dynamodb", "put-item", "--table-name", kTable, "--item", item.dump()});
  } else {
    reconcile::testing::TempDir tmp;
    std::string file = tmp.Write("digest", digest);
    std::vector<std::string> args = {"s3api", "put-object", "--bucket", kBucket, "--key", path + ".md5", "--body", file};
    if (serial) {
      args.push_back("--metadata");
      args.push_back("reconcile-serial=" + std::to_string(*serial));
    }
    AwsCliJson(endpoint_, args);
  }
}

void S3BackendTest::PutStateObject(const std::string& path, const StateWrite& state) const {
  reconcile::testing::TempDir tmp;
  std::string file = tmp.Write("state.json", state.document);
  AwsCliJson(endpoint_, {"s3api", "put-object", "--bucket", kBucket, "--key", path, "--body", file, "--metadata",
                         "reconcile-lineage=" + state.lineage + ",reconcile-serial=" + std::to_string(state.serial) +
                             ",reconcile-digest=" + Md5Hex(state.document)});
}

std::string S3BackendTest::RecordedDigest(const std::string& path) const {
  if (lock() == LockKind::kDynamoDb) {
    nlohmann::json item = {{"LockID", {{"S", std::string(kBucket) + "/" + path + "-md5"}}}};
    nlohmann::json got = AwsCliJson(endpoint_, {"dynamodb", "get-item", "--table-name", kTable, "--key", item.dump(),
                                                "--consistent-read"});
    return got.is_object() && got.contains("Item") ? got["Item"]["Digest"]["S"].get<std::string>() : "";
  }
  reconcile::testing::TempDir tmp;
  std::string out;
  int code = RunAwsCli(endpoint_, {"s3api", "get-object", "--bucket", kBucket, "--key", path + ".md5",
                                   tmp.path() + "/digest"}, &out);
  if (code != 0) {
    EXPECT_NE(out.find("NoSuchKey"), std::string::npos) << out;
  }
  return tmp.Read("digest");
}

}  // namespace reconcile::s3::testing
