// A moto_server (AWS API emulator) for integration tests: one per test
// process, started on a free loopback port on first use and stopped at exit.
// Set RECONCILE_TEST_MOTO_ENDPOINT to reuse a server you started yourself.
#pragma once

#include <string>
#include <string_view>

namespace reconcile::testing {

class MotoServer {
 public:
  // The shared server of this process; starts it on first call. Fails the
  // current test (and returns an empty endpoint) when moto cannot start.
  static MotoServer& Get();

  // "http://127.0.0.1:PORT"
  const std::string& endpoint() const { return endpoint_; }
  // POST /moto-api/reset: wipes every emulated service.
  void Reset();
  // Sets AWS_ENDPOINT_URL, fake credentials and region in this process's
  // environment so clients and the tool talk to this server.
  void ExportEnvironment() const;

  ~MotoServer();

 private:
  MotoServer() = default;
  void Start();
  std::string endpoint_;
  int pid_ = -1;
};

// "http://127.0.0.1:PORT" from moto_server's startup line
// ("* Running on http://127.0.0.1:PORT"), or "" for any other line.
std::string EndpointInStartupLine(std::string_view line);

// Sends a raw HTTP request to url; returns the status code (0 on failure).
int HttpRequest(const std::string& method, const std::string& url, const std::string& body = {},
                std::string* response = nullptr);

}  // namespace reconcile::testing
