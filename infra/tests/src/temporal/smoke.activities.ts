/** An activity the smoke workflows call, so a test proves a worker really runs activities too. */
export async function describeInfrastructure(component: string): Promise<string> {
  return `${component} ran a workflow and an activity`;
}
