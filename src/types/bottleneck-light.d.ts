// Bottleneck's light build (no clustering) is what @octokit/plugin-throttling itself loads;
// it has the same API as the full build, whose types it lacks.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export default Bottleneck
}
