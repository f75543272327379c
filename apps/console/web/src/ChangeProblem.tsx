/** Why the last change asked from this panel was refused or failed, announced to screen readers; nothing when it worked. */
export function ChangeProblem({ problem }: { problem?: string }) {
  return problem ? (
    <p className="problem" role="alert">
      {problem}
    </p>
  ) : null;
}
