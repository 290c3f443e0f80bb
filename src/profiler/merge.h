// One Profile out of several recorders' (one per engine instance): the instances' threads become
// consecutive thread ids (instance i's thread t is i·threads_per_part + t, named "instance i
// ..."), programs, inferences and ops are concatenated with their indices shifted, and all times
// share the earliest origin — so the Chrome trace, the op CSV, the HTML report and the summary
// read a multi-instance run like one profile.
#pragma once

#include <vector>

#include "profiler/event.h"

namespace recinfer::profiler {

Profile merge_instance_profiles(std::vector<Profile> parts, int threads_per_part);

}  // namespace recinfer::profiler
