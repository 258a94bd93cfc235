#include "json_events.h"

#include <cstdio>

namespace reconcile::tool {

JsonEventWriter::JsonEventWriter()
    : JsonEventStream([](const std::string& line) {
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
      }) {}

}  // namespace reconcile::tool
