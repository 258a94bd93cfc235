#include "provider/plugin_lock.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "reconcile/provider_kit.h"
#include "reconcile/plugin.h"

namespace reconcile {

namespace plugin {

namespace {

namespace fs = std::filesystem;

constexpr int kLockFormat = 1;
constexpr std::string_view kExecutablePrefix = "reconcile-provider-";

std::string Short(const std::string& checksum) { return checksum.substr(0, 12); }

}  // namespace

std::string PluginLockPath(const std::string& stack_dir) {
  return (fs::path(stack_dir) / ".reconcile" / "plugins.lock").string();
}

Diagnostics ReadPluginLock(const std::string& stack_dir, PluginChecksums* out) {
  Diagnostics diags;
  out->clear();
  std::string path = PluginLockPath(stack_dir);
  std::ifstream in(path);
  if (!in) return diags;
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  auto malformed = [&](const std::string& what) {
    diags.Error("Malformed plugin lock file " + path,
                what + ". Run `reconcile init` to write it again (after checking the plugins in "
                       ".reconcile/plugins/).");
    return diags;
  };
  if (!doc.is_object()) return malformed("It is not a JSON object");
  if (doc.value("format_version", 0) != kLockFormat)
    return malformed("Expected \"format_version\": " + std::to_string(kLockFormat));
  auto plugins = doc.find("plugins");
  if (plugins == doc.end() || !plugins->is_object())
    return malformed("Expected \"plugins\": an object of file name to {\"sha256\": ...}");
  for (const auto& [name, entry] : plugins->items()) {
    if (!entry.is_object() || !entry.contains("sha256") || !entry["sha256"].is_string())
      return malformed("Entry \"" + name + "\" has no string \"sha256\"");
    (*out)[name] = entry["sha256"].get<std::string>();
  }
  return diags;
}

Diagnostics WritePluginLock(const std::string& stack_dir, const PluginChecksums& checksums) {
  Diagnostics diags;
  nlohmann::json plugins = nlohmann::json::object();
  for (const auto& [name, checksum] : checksums) plugins[name] = {{"sha256", checksum}};
  nlohmann::json doc{{"format_version", kLockFormat}, {"plugins", std::move(plugins)}};
  std::string path = PluginLockPath(stack_dir);
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  {
    std::ofstream out(temp, std::ios::trunc);
    out << doc.dump(2) << "\n";
    if (!out.flush()) {
      diags.Error("Cannot write " + temp, "Check the permissions of the .reconcile directory.");
      return diags;
    }
  }
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    diags.Error("Cannot write " + path, ec.message());
  }
  return diags;
}

std::string FileSha256(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return {};
  }
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    EVP_DigestUpdate(context, buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context, digest, &size);
  EVP_MD_CTX_free(context);
  if (in.bad()) {
    *error = "cannot read " + path;
    return {};
  }
  return encoding::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string StackPluginTrustProblem(const std::string& stack_dir, const std::string& path) {
  const std::string advice =
      " A stack's own plugins run only once trusted: check the executable, then run "
      "`reconcile init` to record it.";
  PluginChecksums trusted;
  Diagnostics read = ReadPluginLock(stack_dir, &trusted);
  if (read.HasErrors()) return read[0].summary + ": " + read[0].detail;
  std::string name = fs::path(path).filename().string();
  auto it = trusted.find(name);
  if (it == trusted.end())
    return "not trusted: it is not listed in .reconcile/plugins.lock." + advice;
  std::string error;
  std::string actual = FileSha256(path, &error);
  if (actual.empty()) return error;
  if (actual != it->second)
    return "not trusted: it changed since `reconcile init` recorded it (sha256 " +
           Short(it->second) + "..., now " + Short(actual) + "...)." + advice;
  return {};
}

}  // namespace plugin

Diagnostics TrustStackPlugins(const std::string& stack_dir, std::vector<std::string>* report) {
  namespace fs = std::filesystem;
  plugin::PluginChecksums before;
  Diagnostics diags = plugin::ReadPluginLock(stack_dir, &before);
  diags = {};  // a malformed file is replaced
  plugin::PluginChecksums now;
  fs::path dir = fs::path(stack_dir) / ".reconcile" / "plugins";
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  if (fs::is_directory(dir, ec))
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry);
  std::sort(entries.begin(), entries.end());
  {
    for (const fs::directory_entry& entry : entries) {
      std::string name = entry.path().filename().string();
      if (name.rfind(plugin::kExecutablePrefix, 0) != 0 || !entry.is_regular_file(ec)) continue;
      std::string error;
      std::string checksum = plugin::FileSha256(entry.path().string(), &error);
      if (checksum.empty()) {
        diags.Error("Cannot trust stack plugin " + entry.path().string(), error);
        continue;
      }
      now[name] = checksum;
      auto old = before.find(name);
      std::string shown = " (sha256 " + plugin::Short(checksum) + "...)";
      if (old == before.end())
        report->push_back("Trusted stack plugin " + name + shown + ".");
      else if (old->second != checksum)
        report->push_back("Stack plugin " + name + " changed; trusted its new content" + shown + ".");
      else
        report->push_back("Stack plugin " + name + " is trusted" + shown + ".");
    }
  }
  for (const auto& [name, checksum] : before)
    if (!now.count(name)) report->push_back("Stack plugin " + name + " is gone; no longer trusted.");
  if (diags.HasErrors()) return diags;
  if (now.empty() && before.empty()) return diags;
  diags.Append(plugin::WritePluginLock(stack_dir, now));
  return diags;
}

}  // namespace reconcile
