#include "engine/stack_inputs.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/stack/source_reader.h"
#include "config/stack/stack_loader.h"

extern char** environ;

namespace reconcile::engine {

namespace fs = std::filesystem;

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

// A scope for [backend] blocks: literals only.
class NoReferenceScope : public config::Scope {
 public:
  explicit NoReferenceScope(std::string dir) : dir_(std::move(dir)) {}
  Value Resolve(const config::Reference& ref, Diagnostics& diags) override {
    diags.Error("Backend settings cannot use \"" + ref.ToString() + "\"",
                "The backend is set up before variables and resources exist; write literal "
                "values here.",
                ref.range);
    return Value();
  }
  std::string BaseDir() const override { return dir_; }

 private:
  std::string dir_;
};

}  // namespace

std::string SelectedWorkspace(const EngineOptions& options) {
  if (!options.workspace.empty()) return options.workspace;
  if (const char* env = std::getenv("RECONCILE_WORKSPACE"); env && *env) return env;
  std::ifstream in(fs::path(options.stack_dir) / ".reconcile" / "environment");
  std::string name;
  if (in && std::getline(in, name)) {
    name = Trim(name);
    if (!name.empty()) return name;
  }
  return "default";
}

Diagnostics WriteSelectedWorkspace(const std::string& stack_dir, const std::string& workspace) {
  Diagnostics diags;
  std::error_code ec;
  fs::path dir = fs::path(stack_dir) / ".reconcile";
  fs::create_directories(dir, ec);
  std::ofstream out(dir / "environment", std::ios::trunc);
  out << workspace << "\n";
  if (!out) diags.Error("Cannot write " + (dir / "environment").string(), "Check permissions.");
  return diags;
}

config::VariableSources GatherVariableSources(const EngineOptions& options,
                                              const std::string& workspace) {
  config::VariableSources sources;
  fs::path env_file = fs::path(options.stack_dir) / "environments" / (workspace + ".toml");
  if (fs::exists(env_file)) sources.environment_file = env_file.string();
  sources.var_files = options.var_files;
  if (options.read_environment_variables) {
    const std::string prefix = "RECONCILE_VAR_";
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      std::string entry(*e);
      if (entry.rfind(prefix, 0) != 0) continue;
      std::size_t eq = entry.find('=');
      if (eq == std::string::npos) continue;
      sources.env[entry.substr(prefix.size(), eq - prefix.size())] = entry.substr(eq + 1);
    }
  }
  for (const VariableAssignment& v : options.variables) sources.cli.emplace_back(v.name, v.value);
  return sources;
}

std::unique_ptr<Backend> BackendForStack(const config::Stack& stack, Diagnostics* diags) {
  BackendConfig config;
  config.stack_dir = stack.dir;
  config.type = "local";
  config.settings = Value::Map({});
  if (stack.root && stack.root->backend) {
    const config::BackendBlock& block = *stack.root->backend;
    config.type = block.type;
    NoReferenceScope scope(stack.dir);
    ValueMap settings;
    for (const auto& [name, expr] : block.body.attributes)
      settings[name] = expr.Evaluate(scope, *diags);
    config.settings = Value::Map(std::move(settings));
    if (diags->HasErrors()) return nullptr;
  }
  return MakeBackend(config, diags);
}

namespace {

// A stack file name as EngineOptions::files holds it: relative, inside the
// stack, no empty or dot segments.
bool ValidStackFileName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  for (std::size_t begin = 0; begin <= name.size();) {
    std::size_t end = name.find('/', begin);
    if (end == std::string::npos) end = name.size();
    std::string_view segment(name.data() + begin, end - begin);
    if (segment.empty() || segment == "." || segment == "..") return false;
    begin = end + 1;
  }
  return name.find('\0') == std::string::npos;
}

// Hashes (name, content) pairs in the order given into a hex SHA-256.
class DigestBuilder {
 public:
  DigestBuilder() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~DigestBuilder() { EVP_MD_CTX_free(ctx_); }
  DigestBuilder(const DigestBuilder&) = delete;
  DigestBuilder& operator=(const DigestBuilder&) = delete;

  void AddFile(const std::string& name, const std::string& content) {
    std::string data = name + '\0' + content + '\0';
    EVP_DigestUpdate(ctx_, data.data(), data.size());
  }

  std::string Hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, digest, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += hex[digest[i] >> 4];
      out += hex[digest[i] & 15];
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

std::string DiskConfigDigest(const std::string& stack_dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(stack_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory() && it->path().filename().string().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    std::string ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".toml" || ext == ".json" || ext == ".tpl"))
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  DigestBuilder digest;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    digest.AddFile(fs::relative(f, stack_dir).string(), content.str());
  }
  return digest.Hex();
}

}  // namespace

Diagnostics LoadStackFor(const EngineOptions& options, config::Stack* out) {
  if (options.files.empty()) return config::LoadStack(options.stack_dir, out);
  Diagnostics diags;
  config::MemorySourceReader reader;
  for (const auto& [name, content] : options.files) {
    if (!ValidStackFileName(name)) {
      diags.Error("Invalid stack file name \"" + name + "\"",
                  "Name each file by its path inside the stack, such as \"main.toml\" or "
                  "\"modules/net/main.toml\": relative, with no \".\" or \"..\" parts.");
      continue;
    }
    reader.Add((options.stack_dir == "/" ? "" : options.stack_dir) + "/" + name, content);
  }
  if (diags.HasErrors()) return diags;
  diags.Append(config::LoadStackFrom(reader, options.stack_dir, out));
  return diags;
}

std::string ConfigDigest(const EngineOptions& options) {
  if (options.files.empty()) return DiskConfigDigest(options.stack_dir);
  DigestBuilder digest;
  for (const auto& [name, content] : options.files) digest.AddFile(name, content);
  return digest.Hex();
}

}  // namespace reconcile::engine
