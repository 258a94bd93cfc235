// A hand-written plugin that breaks the protocol on purpose, selected by
// argv[1]: "protocol2" (answers the handshake with protocol 2.0), "garbage"
// (answers calls after the handshake and schema with a non-JSON line),
// "silent" (never answers), "exit3" (exits with status 3 at once),
// "bad-result" (answers apply with a result of the wrong shape), "deep"
// (answers apply with a new_state nested a million levels deep).
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

namespace {

// The request id, found textually (this program must not depend on a JSON library).
std::string IdOf(const std::string& line) {
  std::size_t at = line.find("\"id\":");
  if (at == std::string::npos) return "null";
  std::size_t start = at + 5;
  std::size_t end = line.find_first_of(",}", start);
  return line.substr(start, end - start);
}

void Answer(const std::string& id, const std::string& result) {
  std::cout << "{\"jsonrpc\":\"2.0\",\"id\":" << id << ",\"result\":" << result << "}\n"
            << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "exit3") {
    std::fprintf(stderr, "raw plugin: refusing to start\n");
    return 3;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string id = IdOf(line);
    bool handshake = line.find("\"method\":\"handshake\"") != std::string::npos;
    bool schema = line.find("\"method\":\"schema\"") != std::string::npos;
    if (mode == "silent") continue;
    if (handshake) {
      std::string protocol = mode == "protocol2" ? "2.0" : "1.0";
      Answer(id,
             "{\"protocol_version\":\"" + protocol + "\",\"name\":\"raw\",\"version\":\"0.0.1\"}");
    } else if (schema) {
      Answer(id,
             "{\"resources\":{\"raw_thing\":{\"attributes\":[{\"name\":\"id\",\"type\":\"string\","
             "\"computed\":true}]}}}");
    } else if (mode == "garbage") {
      std::cout << "this is not json at all, it is a debugging print\n" << std::flush;
    } else if (mode == "bad-result") {
      Answer(id, "{\"new_state\":{\"$bogus\":1},\"diagnostics\":[]}");
    } else if (mode == "deep") {
      Answer(id,
             "{\"new_state\":" + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}");
    } else {
      Answer(id, "{}");
    }
  }
  return 0;
}
