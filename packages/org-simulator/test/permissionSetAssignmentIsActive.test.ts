import { API, describedField, startTestOrg, type TestOrg } from './helpers.js';

// Object Reference, PermissionSetAssignment: IsActive is "Defaulted on create, Filter, Group, Sort",
// neither Create nor Update, so the API refuses it in a body; Salesforce sets it.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm

describe('PermissionSetAssignment.IsActive is read-only', () => {
  let org: TestOrg;
  beforeEach(async () => {
    org = await startTestOrg({ fixture: 'healthy' });
  });
  afterEach(() => org.sim.close());

  const refusal = async (res: Response) => {
    expect(res.status).toBe(400);
    return ((await res.json()) as Array<{ errorCode: string; fields: string[] }>)[0]!;
  };

  test('describe answers createable and updateable false', async () => {
    expect(await describedField(org, 'PermissionSetAssignment', 'IsActive')).toMatchObject({
      createable: false,
      updateable: false,
    });
  });

  test('an update setting it is INVALID_FIELD_FOR_INSERT_UPDATE and leaves the assignment active', async () => {
    const assignment = org.sim
      .records('PermissionSetAssignment')
      .find((a) => a.AssigneeId === org.sim.integrationUser.Id && a.PermissionSetGroupId === null)!;
    const error = await refusal(
      await org.send('PATCH', `${API}/sobjects/PermissionSetAssignment/${assignment.Id}`, {
        IsActive: false,
      }),
    );
    expect(error).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['IsActive'],
    });
    expect(assignment.IsActive).toBe(true);
  });

  test('a create naming it is refused; without it the new assignment is active', async () => {
    const set = org.sim.records('PermissionSet').find((p) => p.Name === 'Marketing_Reports')!;
    const body = { AssigneeId: org.sim.integrationUser.Id, PermissionSetId: set.Id };
    const error = await refusal(
      await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, {
        ...body,
        IsActive: true,
      }),
    );
    expect(error).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['IsActive'],
    });
    const created = await org.send('POST', `${API}/sobjects/PermissionSetAssignment`, body);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const row = org.sim.records('PermissionSetAssignment').find((a) => a.Id === id)!;
    expect(row.IsActive).toBe(true);
  });
});
