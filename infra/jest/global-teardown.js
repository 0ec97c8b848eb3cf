module.exports = async function globalTeardown() {
  const services = globalThis.__lesionlabServices;
  if (!services) return;
  globalThis.__lesionlabServices = undefined;
  await services.s3.stop();
};
