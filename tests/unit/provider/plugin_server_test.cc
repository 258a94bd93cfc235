// ServeProvider's side of malformed traffic: a plugin answers bad requests
// with JSON-RPC errors and keeps serving.
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plugin_test_support.h"
#include "provider/child_process.h"
#include "provider/line_buffer.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

// Talks raw lines to a plugin process.
class RawSession {
 public:
  RawSession() {
    std::string error;
    child_ = plugin::ChildProcess::Spawn(TestingPluginPath(), {}, {}, {}, &error);
    EXPECT_NE(child_, nullptr) << error;
  }

  void Send(const std::string& line) {
    std::string data = line + "\n";
    ASSERT_EQ(::write(child_->stdin_fd(), data.data(), data.size()),
              static_cast<ssize_t>(data.size()));
  }

  // The next line from the plugin's stdout, parsed (null after a minute).
  json Receive() {
    std::string line;
    while (!lines_.Next(&line)) {
      pollfd fd{child_->stdout_fd(), POLLIN, 0};
      if (::poll(&fd, 1, 60000) <= 0) return json();
      char buffer[4096];
      ssize_t n = ::read(child_->stdout_fd(), buffer, sizeof buffer);
      if (n <= 0) return json();
      lines_.Append(buffer, static_cast<std::size_t>(n));
    }
    return json::parse(line);
  }

  plugin::ChildProcess& child() { return *child_; }

 private:
  std::unique_ptr<plugin::ChildProcess> child_;
  plugin::LineBuffer lines_;
};

TEST(PluginServerTest, MalformedRequestsGetErrorsAndServingContinues) {
  RawSession session;
  // Given lines that are not JSON, not requests, unknown methods, bad params
  session.Send("this is not json");
  json parse_error = session.Receive();
  session.Send(R"({"jsonrpc":"2.0","id":7,"params":{}})");
  json invalid = session.Receive();
  session.Send(R"({"jsonrpc":"2.0","id":8,"method":"frobnicate"})");
  json unknown = session.Receive();
  session.Send(
      R"({"jsonrpc":"2.0","id":9,"method":"apply","params":{"type":"testing_echo","action":"smash"}})");
  json bad_params = session.Receive();
  // Then each gets its JSON-RPC error, matched by id where there is one
  EXPECT_EQ(parse_error["id"], nullptr);
  EXPECT_EQ(parse_error["error"]["code"], -32700);
  EXPECT_EQ(invalid["id"], 7);
  EXPECT_EQ(invalid["error"]["code"], -32600);
  EXPECT_EQ(unknown["id"], 8);
  EXPECT_EQ(unknown["error"]["code"], -32601);
  EXPECT_EQ(unknown["error"]["message"], "unknown method frobnicate");
  EXPECT_EQ(bad_params["id"], 9);
  EXPECT_EQ(bad_params["error"]["code"], -32602);
  EXPECT_EQ(bad_params["error"]["message"],
            "apply params: field \"action\" must be \"create\", \"update\" or \"delete\"");
  // And a good request afterwards is served
  session.Send(
      R"({"jsonrpc":"2.0","id":10,"method":"handshake","params":{"protocol_version":"1.0"}})");
  json handshake = session.Receive();
  EXPECT_EQ(handshake["id"], 10);
  EXPECT_EQ(handshake["result"]["protocol_version"], "1.1");
  EXPECT_EQ(handshake["result"]["name"], "testing");
  EXPECT_EQ(handshake["result"]["capabilities"]["read_batch"], true);
}

TEST(PluginServerTest, ADeeplyNestedRequestIsRefusedNotACrash) {
  RawSession session;
  // Given a request whose config nests a million lists (a recursive copy or
  // decode of it would overflow the worker's stack)
  session.Send(
      R"({"jsonrpc":"2.0","id":4,"method":"plan","params":{"type":"testing_echo","config":)" +
      std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}}");
  json refused = session.Receive();
  // Then it is refused as unreadable, and the plugin keeps serving
  EXPECT_EQ(refused["id"], nullptr);
  EXPECT_EQ(refused["error"]["code"], -32700);
  EXPECT_EQ(refused["error"]["message"],
            "not JSON: arrays and objects nest deeper than 256 levels");
  session.Send(R"({"jsonrpc":"2.0","id":5,"method":"schema"})");
  EXPECT_EQ(session.Receive()["id"], 5);
}

TEST(PluginServerTest, RequestsAfterStopAreRefusedAndTheProcessExitsWhenStdinCloses) {
  RawSession session;
  session.Send(R"({"jsonrpc":"2.0","id":1,"method":"stop"})");
  EXPECT_EQ(session.Receive()["result"], json::object());
  session.Send(R"({"jsonrpc":"2.0","id":2,"method":"read","params":{"type":"testing_echo"}})");
  json refused = session.Receive();
  EXPECT_EQ(refused["error"]["code"], -32001);
  EXPECT_EQ(refused["error"]["message"], "the provider is stopping");
  session.child().CloseStdin();
  ASSERT_TRUE(session.child().WaitForExit(std::chrono::seconds(60)));
  EXPECT_EQ(session.child().ExitDescription(), "exit status 0");
}

TEST(PluginServerTest, NotificationsGetNoAnswer) {
  RawSession session;
  session.Send(R"({"jsonrpc":"2.0","method":"read","params":{"type":"testing_echo"}})");
  session.Send(R"({"jsonrpc":"2.0","id":3,"method":"schema"})");
  json next = session.Receive();
  EXPECT_EQ(next["id"], 3);
  EXPECT_TRUE(next["result"].contains("resources"));
}

}  // namespace
}  // namespace reconcile::testing
