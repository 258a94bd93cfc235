#include "support/moto_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace reconcile::testing {

namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

std::string EndpointInStartupLine(std::string_view line) {
  constexpr std::string_view kRunningOn = "Running on ";
  constexpr std::string_view kOrigin = "http://127.0.0.1:";
  std::size_t at = line.find(std::string(kRunningOn) + std::string(kOrigin));
  if (at == std::string_view::npos) return "";
  std::string_view endpoint = line.substr(at + kRunningOn.size());
  std::size_t end = kOrigin.size();
  while (end < endpoint.size() && endpoint[end] >= '0' && endpoint[end] <= '9') ++end;
  return end == kOrigin.size() ? "" : std::string(endpoint.substr(0, end));
}

int HttpRequest(const std::string& method, const std::string& url, const std::string& body,
                std::string* response) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return 0;
  std::string sink;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, response ? response : &sink);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  return static_cast<int>(status);
}

MotoServer& MotoServer::Get() {
  static MotoServer server;
  if (server.endpoint_.empty()) server.Start();
  return server;
}

void MotoServer::Start() {
  if (const char* existing = std::getenv("RECONCILE_TEST_MOTO_ENDPOINT")) {
    endpoint_ = existing;
    return;
  }
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    execlp("moto_server", "moto_server", "-H", "127.0.0.1", "-p", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  FILE* out = fdopen(fds[0], "r");
  char line[1024];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (endpoint_.empty() && std::chrono::steady_clock::now() < deadline &&
         std::fgets(line, sizeof line, out) != nullptr) {
    endpoint_ = EndpointInStartupLine(line);
  }
  if (endpoint_.empty()) {
    ADD_FAILURE() << "moto_server did not start (is it installed? pip install 'moto[server]')";
    return;
  }
  // Keep draining moto's log so it never blocks on a full pipe.
  std::thread([out] {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, out) != nullptr) {
    }
    std::fclose(out);
  }).detach();
  for (int i = 0; i < 100; ++i) {
    if (HttpRequest("GET", endpoint_ + "/moto-api/data.json") == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void MotoServer::Reset() {
  if (!endpoint_.empty()) HttpRequest("POST", endpoint_ + "/moto-api/reset");
}

void MotoServer::ExportEnvironment() const {
  setenv("AWS_ENDPOINT_URL", endpoint_.c_str(), 1);
  setenv("AWS_ACCESS_KEY_ID", "testing", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "testing", 1);
  setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
  setenv("AWS_REGION", "us-east-1", 1);
  unsetenv("AWS_PROFILE");
  unsetenv("AWS_SESSION_TOKEN");
}

MotoServer::~MotoServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
}

}  // namespace reconcile::testing
