import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEntityProperties, propertiesFromRow, recommendStrategy } from './metadata.js';

const CSDL = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Erp.Tablesets" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="VendorRow">
        <Key><PropertyRef Name="Company"/><PropertyRef Name="VendorNum"/></Key>
        <Property Name="Company" Type="Edm.String" Nullable="false"/>
        <Property Name="VendorNum" Type="Edm.Int32" Nullable="false"/>
        <Property Name="SysRevID" Type="Edm.Int64" Nullable="false"/>
      </EntityType>
      <EntityType Name="VendCntMainRow">
        <Property Name="ChangeDate" Type="Edm.DateTimeOffset"/>
      </EntityType>
    </Schema>
    <Schema Namespace="Erp.BO.VendorSvc" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityContainer Name="VendorSvc">
        <EntitySet Name="Vendors" EntityType="Erp.Tablesets.VendorRow"/>
        <EntitySet Name="VendCntMains" EntityType="Erp.Tablesets.VendCntMainRow"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>`;

describe('$metadata', () => {
  it('lists the properties of the entity type behind an entity set', () => {
    assert.deepEqual(parseEntityProperties(CSDL, 'Vendors'), [
      { name: 'Company', type: 'Edm.String', nullable: false },
      { name: 'VendorNum', type: 'Edm.Int32', nullable: false },
      { name: 'SysRevID', type: 'Edm.Int64', nullable: false },
    ]);
    assert.deepEqual(
      parseEntityProperties(CSDL, 'VendCntMains').map((p) => p.name),
      ['ChangeDate'],
    );
    assert.deepEqual(parseEntityProperties(CSDL, 'Nope'), []);
  });

  it('infers properties from a row, skipping OData annotations', () => {
    assert.deepEqual(
      propertiesFromRow({ '@odata.etag': 'x', A: 1, B: 'b' }).map((p) => p.name),
      ['A', 'B'],
    );
  });
});

describe('recommendStrategy', () => {
  it('prefers a timestamp, then ChangeDate+ChangeTime, ChangeDate, SysRevID, full scan', () => {
    assert.deepEqual(recommendStrategy(['UpdatedOn', 'ChangeDate', 'SysRevID']).strategy, {
      strategy: 'datetime',
      field: 'UpdatedOn',
    });
    assert.equal(
      recommendStrategy(['ChangeDate', 'ChangeTime', 'SysRevID']).strategy.strategy,
      'changeDateTime',
    );
    assert.equal(recommendStrategy(['ChangeDate', 'SysRevID']).strategy.strategy, 'changeDate');
    assert.equal(recommendStrategy(['SysRevID', 'Name']).strategy.strategy, 'sysRevId');
    assert.equal(recommendStrategy(['Name']).strategy.strategy, 'full');
    const custom = recommendStrategy([{ name: 'LastWrite_c', type: 'Edm.DateTimeOffset', nullable: true }], {
      datetimeField: 'LastWrite_c',
    });
    assert.deepEqual(custom.strategy, { strategy: 'datetime', field: 'LastWrite_c' });
    assert.deepEqual(recommendStrategy(['ChangeDate', 'ChangeTime', 'SysRevID']).found, {
      updatedOn: false,
      changeDate: true,
      changeTime: true,
      sysRevId: true,
    });
  });
});
