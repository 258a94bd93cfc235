// The S3 backend's state versions: the bucket's object versions of a
// workspace's state object (ListObjectVersions, GetObject?versionId=).
// Without versioning there is one version, the current object.
#include <algorithm>

#include "backends/s3/s3_backend.h"
#include "state/local_backend.h"

namespace reconcile::s3 {

namespace {

// S3 lists at most 1000 versions a page.
constexpr std::size_t kMaxKeysPerPage = 1000;

}  // namespace

Diagnostics S3Backend::ListStateVersions(const std::string& workspace, std::size_t limit,
                                         std::vector<StateVersion>* out) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  out->clear();
  if (diags.HasErrors()) return diags;
  std::string path = StatePath(workspace);
  std::string key_marker, version_marker;
  while (out->size() < limit) {
    aws::RestRequest request{.operation = "ListObjectVersions", .path = "/", .bucket = objects_.bucket(),
                             .query = {{"versions", ""},
                                       {"prefix", path},
                                       {"max-keys", std::to_string(std::min(kMaxKeysPerPage, limit + 1))}}};
    if (!key_marker.empty()) request.query.emplace_back("key-marker", key_marker);
    if (!version_marker.empty()) request.query.emplace_back("version-id-marker", version_marker);
    aws::AwsResult<aws::XmlResponse> page = client_->RestXml("s3", request);
    if (!page.ok()) {
      diags.Error("cannot list the versions of " + objects_.Url(path), page.error().ToString());
      return diags;
    }
    const aws::XmlNode& root = page->xml.root();
    for (const aws::XmlNode& version : root.Children("Version")) {  // newest first, per key
      if (version.Text("Key") != path || out->size() >= limit) continue;
      out->push_back({version.Text("VersionId"), version.Text("LastModified")});
    }
    if (root.Text("IsTruncated") != "true") break;
    key_marker = root.Text("NextKeyMarker");
    version_marker = root.Text("NextVersionIdMarker");
    if (key_marker.empty() && version_marker.empty()) break;
  }
  return diags;
}

Diagnostics S3Backend::ReadStateVersion(const std::string& workspace, const std::string& id,
                                        std::string* document) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string path = StatePath(workspace);
  aws::RestRequest request{.operation = "GetObject", .method = "GET", .path = "/" + path,
                           .bucket = objects_.bucket(), .query = {{"versionId", id}}};
  aws::AwsResult<aws::RestResponse> response = client_->Send("s3", request);
  if (!response.ok()) {
    diags.Error("cannot read version " + id + " of " + objects_.Url(path), response.error().ToString());
    return diags;
  }
  *document = std::move(response->body);
  return diags;
}

}  // namespace reconcile::s3
